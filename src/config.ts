// Every setting ponte reads, from environment variables, validated once at start.

import { Ajv } from 'ajv';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  uploadDir: string | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  logLevel: string;
  apiKeys: string | undefined;
  erpSecrets: string[];
  erpConnector: 'bimer' | 'soap-crm';
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  bodyLimitBytes: number;
  workerConcurrency: number;
  jobAttempts: number;
  jobBackoffMs: number;
  outboxSweepMs: number;
  shutdownTimeoutMs: number;
  lookupCacheTtlMs: number;
  closeInviteTimeoutMs: number;
  agentsCanClose: boolean;
  returnsRetentionDays: number;
  rateLimitMax: number;
  rateLimitWindowMs: number;
  erpMaxConcurrent: number;
  erpRatePerSecond: number;
  markerRefreshMs: number;
  webhookAllowPrivate: boolean;
  webhookRetryScale: number;
  stalledIntervalMs: number;
  queuePrefix: string;
}

interface Setting {
  env: string;
  key: keyof Config;
  schema: Record<string, unknown>;
  default?: unknown;
  doc: string;
  parse?: (raw: string) => unknown;
}

const bool = { type: 'boolean' };
const posInt = { type: 'integer', minimum: 1 };
const nonNegInt = { type: 'integer', minimum: 0 };
const url = (protocols: string) => ({ type: 'string', pattern: `^(${protocols})://` });

/** The table README's configuration section documents, in this order. */
export const SETTINGS: Setting[] = [
  { env: 'PORT', key: 'port', schema: { type: 'integer', minimum: 0, maximum: 65535 }, default: 3000, doc: 'HTTP port.' },
  { env: 'HOST', key: 'host', schema: { type: 'string', minLength: 1 }, default: '127.0.0.1', doc: 'HTTP bind address.' },
  { env: 'DATA_DIR', key: 'dataDir', schema: { type: 'string', minLength: 1 }, default: './data', doc: 'Embedded database (when DATABASE_URL is unset) and uploads.' },
  { env: 'UPLOAD_DIR', key: 'uploadDir', schema: { type: 'string', minLength: 1 }, doc: 'Where chat attachments are stored (default DATA_DIR/uploads).' },
  { env: 'DATABASE_URL', key: 'databaseUrl', schema: url('postgres|postgresql'), doc: 'PostgreSQL connection string; unset = embedded PGlite in DATA_DIR.' },
  { env: 'REDIS_URL', key: 'redisUrl', schema: url('redis|rediss'), doc: 'Redis for BullMQ; unset = BullMQ on PostgreSQL (or the embedded PGlite).' },
  { env: 'LOG_LEVEL', key: 'logLevel', schema: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }, default: 'info', doc: 'pino log level.' },
  { env: 'PONTE_API_KEYS', key: 'apiKeys', schema: { type: 'string', pattern: '^[^:,]+:[a-z+]+:[^:,]+(:[^:,]+)?(,[^:,]+:[a-z+]+:[^:,]+(:[^:,]+)?)*$' }, doc: 'Keys seeded at start: `name:role[+role]:secret[:profileId],...` (roles helpdesk, erp, admin).' },
  { env: 'PONTE_ERP_SECRETS', key: 'erpSecrets', schema: { type: 'array', items: { type: 'string', pattern: '^whsec_[A-Za-z0-9+/=]+$' }, maxItems: 2 }, default: [], parse: (raw) => raw.split(',').map((s) => s.trim()).filter(Boolean), doc: 'Standard Webhooks secrets for ERP pushes: `whsec_current[,whsec_previous]`.' },
  { env: 'ERP_CONNECTOR', key: 'erpConnector', schema: { enum: ['bimer', 'soap-crm'] }, default: 'bimer', doc: 'Which connector talks to the ERP. Its own settings: BIMER_* or SOAP_* (see below).' },
  { env: 'SMTP_URL', key: 'smtpUrl', schema: url('smtp|smtps'), doc: 'SMTP server for e-mail out; unset = kept in the local mail outbox.' },
  { env: 'MAIL_FROM', key: 'mailFrom', schema: { type: 'string', minLength: 3 }, default: 'ponte <no-reply@ponte.local>', doc: 'Sender of e-mails.' },
  { env: 'PUBLIC_URL', key: 'publicUrl', schema: url('http|https'), default: 'http://127.0.0.1:3000', doc: 'Base URL used in links sent to clients (portal).' },
  { env: 'BODY_LIMIT_BYTES', key: 'bodyLimitBytes', schema: posInt, default: 1_048_576, doc: 'Largest JSON body accepted.' },
  { env: 'WORKER_CONCURRENCY', key: 'workerConcurrency', schema: posInt, default: 20, doc: 'Jobs run at once per worker process.' },
  { env: 'JOB_ATTEMPTS', key: 'jobAttempts', schema: posInt, default: 8, doc: 'Attempts of an integration before it is `dead`.' },
  { env: 'JOB_BACKOFF_MS', key: 'jobBackoffMs', schema: posInt, default: 1000, doc: 'First retry delay; doubles each attempt, with jitter.' },
  { env: 'OUTBOX_SWEEP_MS', key: 'outboxSweepMs', schema: posInt, default: 5000, doc: 'How often rows not yet queued (job backend was down) are re-queued.' },
  { env: 'SHUTDOWN_TIMEOUT_MS', key: 'shutdownTimeoutMs', schema: posInt, default: 10000, doc: 'On SIGTERM, how long running jobs may take to finish.' },
  { env: 'LOOKUP_CACHE_TTL_MS', key: 'lookupCacheTtlMs', schema: nonNegInt, default: 300000, doc: 'How long ERP lookups (products, case types, users...) are cached.' },
  { env: 'CLOSE_INVITE_TIMEOUT_MS', key: 'closeInviteTimeoutMs', schema: posInt, default: 300000, doc: 'A close invitation unanswered this long closes the chat.' },
  { env: 'AGENTS_CAN_CLOSE', key: 'agentsCanClose', schema: bool, default: false, doc: 'Account setting: agents close chats directly instead of inviting the client.' },
  { env: 'RETURNS_RETENTION_DAYS', key: 'returnsRetentionDays', schema: posInt, default: 90, doc: 'Closed returns stay in default listings this many days.' },
  { env: 'RATE_LIMIT_MAX', key: 'rateLimitMax', schema: nonNegInt, default: 6000, doc: 'Requests per API key per window (0 = off).' },
  { env: 'RATE_LIMIT_WINDOW_MS', key: 'rateLimitWindowMs', schema: posInt, default: 60000, doc: 'Rate-limit window.' },
  { env: 'ERP_MAX_CONCURRENT', key: 'erpMaxConcurrent', schema: posInt, default: 20, doc: 'ERP calls at once per worker process (integration jobs running concurrently).' },
  { env: 'ERP_RATE_PER_SECOND', key: 'erpRatePerSecond', schema: nonNegInt, default: 0, doc: 'At most this many integration jobs start per second across all workers (BullMQ limiter; 0 = no limit).' },
  { env: 'MARKER_REFRESH_MS', key: 'markerRefreshMs', schema: nonNegInt, default: 0, doc: 'Pull delinquency markers for clients with open chats this often (0 = off).' },
  { env: 'PONTE_WEBHOOK_ALLOW_PRIVATE', key: 'webhookAllowPrivate', schema: bool, default: false, doc: 'Allow webhook destinations that are not public https URLs.' },
  { env: 'WEBHOOK_RETRY_SCALE', key: 'webhookRetryScale', schema: { type: 'number', exclusiveMinimum: 0, maximum: 1 }, default: 1, parse: (raw) => (raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw), doc: 'Multiplies the webhook retry schedule (at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); below 1 only for tests.' },
  { env: 'QUEUE_PREFIX', key: 'queuePrefix', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]*$' }, default: '', doc: 'Prefix of every queue name, so several ponte installations can share one Redis or database.' },
  { env: 'STALLED_INTERVAL_MS', key: 'stalledIntervalMs', schema: posInt, default: 30000, doc: 'How often workers look for jobs whose worker died.' },
];

export class ConfigError extends Error {}

function coerce(setting: Setting, raw: string): unknown {
  if (setting.parse) return setting.parse(raw);
  const type = (setting.schema as { type?: string }).type;
  if (type === 'integer') return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (type === 'boolean') return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
  return raw;
}

function accepts(schema: Record<string, unknown>): string {
  if (schema.enum) return `one of ${(schema.enum as string[]).join(', ')}`;
  if (schema.pattern) return `a value matching ${String(schema.pattern)}`;
  if (schema.type === 'integer') return `an integer${schema.minimum !== undefined ? ` >= ${schema.minimum}` : ''}${schema.maximum !== undefined ? ` <= ${schema.maximum}` : ''}`;
  if (schema.type === 'boolean') return 'true or false';
  if (schema.type === 'number') return 'a number greater than 0, at most 1';
  if (schema.type === 'array') return 'a comma-separated list of Standard Webhooks secrets (whsec_...), at most 2';
  return 'a non-empty string';
}

const ajv = new Ajv({ allErrors: false });

/** Reads and validates the environment; throws ConfigError with one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const raw = env[setting.env];
    if (raw === undefined || raw === '') {
      out[setting.key] = setting.default;
      continue;
    }
    const value = coerce(setting, raw);
    if (!ajv.validate(setting.schema, value)) {
      throw new ConfigError(`${setting.env}=${JSON.stringify(setting.env.includes('SECRET') || setting.env.includes('KEYS') ? '[redacted]' : raw)} is invalid: expected ${accepts(setting.schema)}`);
    }
    out[setting.key] = value;
  }
  return out as unknown as Config;
}
