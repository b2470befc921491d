// Every setting ponte reads, from environment variables, validated once at start.

import { shippedAjv } from './schemas.js';

export interface Config {
  port: number;
  host: string;
  trustProxy: boolean | number | string[];
  dataDir: string;
  uploadDir: string | undefined;
  spellcheckIndexDir: string | undefined;
  databaseUrl: string | undefined;
  databasePreparedStatements: boolean;
  redisUrl: string | undefined;
  logLevel: string;
  apiKeys: string | undefined;
  erpSecrets: string[];
  secretKey: string | undefined;
  secretKeyPrevious: string | undefined;
  erpConnector: string;
  erpMappingsDir?: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  mailAttachmentMaxBytes: number;
  publicUrl: string;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxHeaderBytes: number;
  workerConcurrency: number;
  jobAttempts: number;
  jobBackoffMs: number;
  jobRetryScale: number;
  outboxSweepMs: number;
  shutdownTimeoutMs: number;
  lookupCacheTtlMs: number;
  lookupMissTtlMs: number;
  closeInviteTimeoutMs: number;
  transferTimeoutMs: number;
  agentsCanClose: boolean;
  returnsRetentionDays: number;
  portalChatDepartment: string | undefined;
  retentionClosedReturnsDays: number;
  retentionClosedChatsDays: number;
  retentionAttemptExchangesDays: number;
  retentionMailBodiesDays: number;
  retentionWebhookDeliveriesDays: number;
  accessLogRetentionDays: number;
  retentionIntervalMs: number;
  rateLimitMax: number;
  rateLimitWindowMs: number;
  erpMaxConcurrent: number;
  erpProbeMs: number;
  erpOutageFailures: number;
  erpRatePerSecond: number;
  markerRefreshMs: number;
  spellcheckSuggestWords: number;
  spellcheckBudgetMs: number;
  spellcheckMaxPendingPerKey: number;
  webhookAllowPrivate: boolean;
  webhookAllowPorts: number[];
  webhookRetryScale: number;
  stalledIntervalMs: number;
  queuePrefix: string;
  chatwoot: HelpdeskSettings;
  zammad: HelpdeskSettings;
  helpdeskTimeoutMs: number;
}

/** What a helpdesk adapter reads under its prefix (CHATWOOT_, ZAMMAD_, or a third helpdesk's). */
export interface HelpdeskSettings {
  webhookSecrets: string[];
  url: string | undefined;
  apiToken: string | undefined;
  /** Inbox / group (id or name, `*` for any other) → ponte department. */
  departments: Record<string, string>;
  /** Integration fields used when the conversation's custom attributes leave them out. */
  integrationDefaults: Record<string, unknown>;
  notes: boolean;
  /** Settings only this helpdesk's mapping reads (Chatwoot's account id, Zammad's closed states). */
  mapping: Record<string, unknown>;
}

type HelpdeskKey = `${'chatwoot' | 'zammad'}.${Exclude<keyof HelpdeskSettings, 'mapping'>}` | `${'chatwoot' | 'zammad'}.mapping.${string}`;

interface Setting {
  env: string;
  /** A Config key, or a dotted path into a helpdesk's settings. */
  key: keyof Config | HelpdeskKey;
  schema: Record<string, unknown>;
  default?: unknown;
  doc: string;
  parse?: (raw: string) => unknown;
  /** What an invalid value's error says is expected, when the schema alone cannot say it. */
  expects?: string;
}

const bool = { type: 'boolean' };
const posInt = { type: 'integer', minimum: 1 };
const nonNegInt = { type: 'integer', minimum: 0 };
const url = (protocols: string) => ({ type: 'string', pattern: `^(${protocols})://` });
const list = (raw: string) => raw.split(',').map((s) => s.trim()).filter(Boolean);

/** `key=value,...` or a JSON object: a small lookup table in one variable. */
export function parseTable(raw: string): unknown {
  if (raw.trim().startsWith('{')) return parseJson(raw);
  const entries = list(raw).map((pair) => {
    const at = pair.indexOf('=');
    return at > 0 ? [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] : [pair, ''];
  });
  return Object.fromEntries(entries);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

const INTEGRATION_DEFAULTS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    productId: { type: 'string', minLength: 1 },
    caseTypeId: { type: 'string', minLength: 1 },
    closeCase: { type: 'boolean' },
    responsibilityCenterId: { type: 'string', minLength: 1 },
    standardOpinionId: { type: 'string', minLength: 1 },
    subject: { type: 'string', minLength: 1, maxLength: 200 },
    notify: { type: 'object' },
  },
};

/** The settings of one helpdesk adapter under its prefix; `key` says where each lands. */
export function helpdeskSettings(prefix: string, name: string, label: string): Array<Omit<Setting, 'key'> & { key: string }> {
  return [
    { env: `${prefix}_WEBHOOK_SECRET`, key: `${name}.webhookSecrets`, schema: { type: 'array', items: { type: 'string', minLength: 8 }, maxItems: 5 }, default: [], parse: list, expects: 'a comma-separated list of secrets (at least 8 characters each, at most 5)', doc: `Secret(s) ${label} signs its webhooks with; several, comma-separated, during a rotation. Unset = \`POST /v1/inbound/${name}\` answers 503.` },
    { env: `${prefix}_URL`, key: `${name}.url`, schema: url('http|https'), doc: `Base URL of ${label}'s API (may be a private address): reads a conversation's full message list, adds internal notes.` },
    { env: `${prefix}_API_TOKEN`, key: `${name}.apiToken`, schema: { type: 'string', minLength: 1 }, doc: `${label} API token for ${prefix}_URL.` },
    { env: `${prefix}_DEPARTMENTS`, key: `${name}.departments`, schema: { type: 'object', additionalProperties: { type: 'string', minLength: 1, maxLength: 100 } }, default: {}, parse: parseTable, expects: '`key=department,...` or a JSON object of strings', doc: `The ponte department of a ${label} conversation: \`key=department,...\` or JSON, keyed as the mapping reads it (Chatwoot: inbox id; Zammad: group id or name), \`*\` for any other; unmapped: \`${name}\`.` },
    { env: `${prefix}_INTEGRATION_DEFAULTS`, key: `${name}.integrationDefaults`, schema: INTEGRATION_DEFAULTS_SCHEMA, default: {}, parse: parseJson, expects: 'a JSON object with productId, caseTypeId, closeCase, responsibilityCenterId, standardOpinionId, subject, notify', doc: 'JSON: integration fields used when the conversation\'s custom attributes leave them out (`productId`, `caseTypeId`, `closeCase`, ...).' },
    { env: `${prefix}_NOTES`, key: `${name}.notes`, schema: bool, default: true, doc: `Add an internal note to the ${label} conversation when its integration succeeds, fails or dies.` },
  ];
}

const KEY_ENTRY = '[^:,]+:[a-z+]+:[^:,]{24,}(:[^:,]+){0,2}';
const SECRET_KEY = { type: 'string', pattern: '^\\s*([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)\\s*$' };
const SECRET_KEY_EXPECT = '32 random bytes as base64 or hex (e.g. `openssl rand -base64 32`)';

/** The table README's configuration section documents, in this order. */
export const SETTINGS: Setting[] = [
  { env: 'PORT', key: 'port', schema: { type: 'integer', minimum: 0, maximum: 65535 }, default: 3000, doc: 'HTTP port.' },
  { env: 'HOST', key: 'host', schema: { type: 'string', minLength: 1 }, default: '127.0.0.1', doc: 'HTTP bind address.' },
  {
    env: 'TRUST_PROXY', key: 'trustProxy', default: false, parse: parseTrustProxy,
    schema: { anyOf: [{ type: 'boolean' }, { type: 'integer', minimum: 1 }, { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[0-9A-Fa-f.:]+(/\\d{1,3})?$' } }] },
    expects: 'true, false, a number of proxy hops, or comma-separated proxy addresses or CIDR ranges',
    doc: 'Behind a reverse proxy: whose X-Forwarded-For / X-Forwarded-Proto to believe (`true`, a hop count, or the proxies\' addresses/CIDRs), so rate limits and logs see the client\'s address and cookies get `Secure` over https. `false` = the socket\'s address.',
  },
  { env: 'DATA_DIR', key: 'dataDir', schema: { type: 'string', minLength: 1 }, default: './data', doc: 'Embedded database (when DATABASE_URL is unset), uploads and the built-in sandbox ERP\'s records (`sandbox/bimer.json`, when BIMER_URL is unset).' },
  { env: 'UPLOAD_DIR', key: 'uploadDir', schema: { type: 'string', minLength: 1 }, doc: 'Where chat attachments are stored (default DATA_DIR/uploads).' },
  { env: 'SPELLCHECK_INDEX_DIR', key: 'spellcheckIndexDir', schema: { type: 'string', minLength: 1 }, doc: 'Where the spell-check suggestion index is cached, built once per dictionary (default DATA_DIR/spellcheck).' },
  { env: 'DATABASE_URL', key: 'databaseUrl', schema: url('postgres|postgresql'), doc: 'PostgreSQL connection string; unset = embedded PGlite in DATA_DIR.' },
  { env: 'DATABASE_PREPARED_STATEMENTS', key: 'databasePreparedStatements', schema: bool, default: true, doc: 'Send repeated statements to PostgreSQL by name (parsed and planned once per connection). Set false behind a pooler that cannot keep named statements (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).' },
  { env: 'REDIS_URL', key: 'redisUrl', schema: url('redis|rediss'), doc: 'Redis for BullMQ; unset = BullMQ on PostgreSQL (or the embedded PGlite).' },
  { env: 'LOG_LEVEL', key: 'logLevel', schema: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }, default: 'info', doc: 'pino log level.' },
  { env: 'PONTE_API_KEYS', key: 'apiKeys', schema: { type: 'string', pattern: `^${KEY_ENTRY}(,${KEY_ENTRY})*$` }, expects: 'name:role[+role]:secret[:profileId][:requireAgent],... with secrets of at least 24 characters', doc: 'Keys seeded at start: `name:role[+role]:secret[:profileId][:requireAgent],...` (roles helpdesk, erp, admin, metrics; secrets of at least 24 characters). `requireAgent`: every write with that key must name its acting agent (X-Agent-Id). A seeded key revoked since stays revoked until its secret changes.' },
  { env: 'PONTE_ERP_SECRETS', key: 'erpSecrets', schema: { type: 'array', items: { type: 'string', pattern: '^whsec_[A-Za-z0-9+/=]+$' }, maxItems: 2 }, default: [], parse: (raw) => raw.split(',').map((s) => s.trim()).filter(Boolean), doc: 'Standard Webhooks secrets for ERP pushes: `whsec_current[,whsec_previous]`.' },
  { env: 'PONTE_SECRET_KEY', key: 'secretKey', schema: SECRET_KEY, expects: SECRET_KEY_EXPECT, doc: 'Seals secrets kept in the database (webhook secrets, portal links waiting to be mailed) and signs admin sessions: 32 random bytes, base64 or hex. Required with DATABASE_URL; embedded mode generates one into DATA_DIR/secret.key (0600) when unset.' },
  { env: 'PONTE_SECRET_KEY_PREVIOUS', key: 'secretKeyPrevious', schema: SECRET_KEY, expects: SECRET_KEY_EXPECT, doc: 'The key being replaced during a rotation: what it sealed is re-sealed with PONTE_SECRET_KEY at start (see SECURITY.md).' },
  { env: 'ERP_CONNECTOR', key: 'erpConnector', schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 100 }, default: 'bimer', doc: 'The mapping set that talks to the ERP: a folder of ERP_MAPPINGS_DIR (built-in: bimer, bimer-core, soap-crm). Its own settings: BIMER_*, SOAP_* or what its connector.json names (see "Mapping a new ERP").' },
  { env: 'ERP_MAPPINGS_DIR', key: 'erpMappingsDir', schema: { type: 'string', minLength: 1 }, doc: "Directory holding the deployment's own mapping sets (one folder each); unset = the built-in mappings/." },
  { env: 'SMTP_URL', key: 'smtpUrl', schema: url('smtp|smtps'), doc: 'SMTP server for e-mail out; unset = kept in the local mail outbox.' },
  { env: 'MAIL_FROM', key: 'mailFrom', schema: { type: 'string', minLength: 3 }, default: 'ponte <no-reply@ponte.local>', doc: 'Sender of e-mails.' },
  { env: 'MAIL_ATTACHMENT_MAX_BYTES', key: 'mailAttachmentMaxBytes', schema: nonNegInt, default: 10_485_760, doc: "A reply's files go in its e-mail up to this many bytes in total; larger, the e-mail carries a download link per file instead." },
  { env: 'PUBLIC_URL', key: 'publicUrl', schema: url('http|https'), doc: 'Base URL used in links sent to clients (portal). Unset: the listening address, `http://HOST:PORT` (127.0.0.1 when HOST binds every address).' },
  { env: 'BODY_LIMIT_BYTES', key: 'bodyLimitBytes', schema: posInt, default: 1_048_576, doc: 'Largest JSON body accepted.' },
  { env: 'REQUEST_TIMEOUT_MS', key: 'requestTimeoutMs', schema: posInt, default: 120_000, doc: 'A request (headers and body, uploads included) must arrive whole within this; slower ones are cut (408).' },
  { env: 'CONNECTION_TIMEOUT_MS', key: 'connectionTimeoutMs', schema: posInt, default: 60_000, doc: 'A connection idle this long (nothing received or sent) is closed; live event streams send a heartbeat every 15 s.' },
  { env: 'KEEP_ALIVE_TIMEOUT_MS', key: 'keepAliveTimeoutMs', schema: posInt, default: 72_000, doc: 'How long an idle keep-alive connection stays open between requests (keep it above the load balancer\'s idle timeout).' },
  { env: 'MAX_HEADER_BYTES', key: 'maxHeaderBytes', schema: { type: 'integer', minimum: 1024, maximum: 1_048_576 }, default: 16_384, doc: 'Largest request header block (431 beyond).' },
  { env: 'WORKER_CONCURRENCY', key: 'workerConcurrency', schema: posInt, default: 20, doc: 'Jobs run at once per worker process.' },
  { env: 'JOB_ATTEMPTS', key: 'jobAttempts', schema: posInt, default: 25, doc: 'Attempts of an integration before it is `dead` (the default schedule spans about 34 h of failing ERP calls).' },
  { env: 'JOB_BACKOFF_MS', key: 'jobBackoffMs', schema: posInt, default: 1000, doc: 'First retry delay of an integration; doubles each attempt up to 3 h, plus up to 20% jitter.' },
  { env: 'JOB_RETRY_SCALE', key: 'jobRetryScale', schema: { type: 'number', exclusiveMinimum: 0, maximum: 1 }, default: 1, parse: (raw) => (raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw), doc: 'Multiplies the integration retry schedule (JOB_BACKOFF_MS doubling, capped at 3 h); below 1 only for tests and drills.' },
  { env: 'OUTBOX_SWEEP_MS', key: 'outboxSweepMs', schema: posInt, default: 5000, doc: 'How often rows not yet queued (job backend was down) are re-queued.' },
  { env: 'SHUTDOWN_TIMEOUT_MS', key: 'shutdownTimeoutMs', schema: posInt, default: 10000, doc: 'On SIGTERM, how long running jobs may take to finish.' },
  { env: 'LOOKUP_CACHE_TTL_MS', key: 'lookupCacheTtlMs', schema: nonNegInt, default: 300000, doc: 'How long ERP lookups (products, case types, users...) are cached.' },
  { env: 'LOOKUP_MISS_TTL_MS', key: 'lookupMissTtlMs', schema: nonNegInt, default: 30000, doc: 'An unknown id, client or process is remembered as absent this long; a list is reloaded for a missing id at most this often.' },
  { env: 'CLOSE_INVITE_TIMEOUT_MS', key: 'closeInviteTimeoutMs', schema: posInt, default: 300000, doc: 'A close invitation unanswered this long closes the chat.' },
  { env: 'TRANSFER_TIMEOUT_MS', key: 'transferTimeoutMs', schema: posInt, default: 120000, doc: 'A transfer the receiving agent has not accepted this long returns to the sender.' },
  { env: 'AGENTS_CAN_CLOSE', key: 'agentsCanClose', schema: bool, default: false, doc: 'Account setting: agents close chats directly instead of inviting the client.' },
  { env: 'RETURNS_RETENTION_DAYS', key: 'returnsRetentionDays', schema: posInt, default: 90, doc: 'Closed returns stay in default listings this many days.' },
  { env: 'PORTAL_CHAT_DEPARTMENT', key: 'portalChatDepartment', schema: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' }, doc: 'Department whose queue a chat opened from a return without a department (nor a linked chat) lands in; unset = such returns offer no chat.' },
  { env: 'RETENTION_CLOSED_RETURNS_DAYS', key: 'retentionClosedReturnsDays', schema: nonNegInt, default: 1825, doc: 'Closed returns (timeline, files, mail) are deleted this many days after closing; at least RETURNS_RETENTION_DAYS (0 = kept).' },
  { env: 'RETENTION_CLOSED_CHATS_DAYS', key: 'retentionClosedChatsDays', schema: nonNegInt, default: 1825, doc: 'Closed chats (messages, files) are deleted this many days after closing; their integrations stay, without personal data (0 = kept).' },
  { env: 'RETENTION_ATTEMPT_EXCHANGES_DAYS', key: 'retentionAttemptExchangesDays', schema: nonNegInt, default: 90, doc: 'Recorded ERP exchanges of integration attempts are emptied after this many days; the attempts stay (0 = kept).' },
  { env: 'RETENTION_MAIL_BODIES_DAYS', key: 'retentionMailBodiesDays', schema: nonNegInt, default: 180, doc: 'Bodies of sent or failed e-mails are emptied after this many days (0 = kept).' },
  { env: 'RETENTION_WEBHOOK_DELIVERIES_DAYS', key: 'retentionWebhookDeliveriesDays', schema: nonNegInt, default: 30, doc: 'Finished webhook deliveries (and dispatched outbox rows) are deleted after this many days (0 = kept).' },
  { env: 'ACCESS_LOG_RETENTION_DAYS', key: 'accessLogRetentionDays', schema: posInt, default: 183, doc: 'Reads of personal data stay in the access log this many days (Marco Civil art. 15: six months).' },
  { env: 'RETENTION_INTERVAL_MS', key: 'retentionIntervalMs', schema: nonNegInt, default: 3_600_000, doc: 'How often the retention job runs (0 = never).' },
  { env: 'RATE_LIMIT_MAX', key: 'rateLimitMax', schema: nonNegInt, default: 6000, doc: 'Requests per API key (per address on routes without a key) per window; also the failed requests (400, 401) an address may make per window before it is refused ahead of authentication. Counted across every process (Redis, else the database). Probes are never limited (0 = off).' },
  { env: 'RATE_LIMIT_WINDOW_MS', key: 'rateLimitWindowMs', schema: posInt, default: 60000, doc: 'Rate-limit window.' },
  { env: 'ERP_MAX_CONCURRENT', key: 'erpMaxConcurrent', schema: posInt, default: 20, doc: 'ERP calls at once across the whole installation: every worker process and the API\'s accept-time, form and details lookups share it (also the integration jobs running at once).' },
  { env: 'ERP_PROBE_MS', key: 'erpProbeMs', schema: posInt, default: 15000, doc: 'While the ERP is down (unreachable or 5xx, confirmed by a probe read), workers hold the integrations queue and probe it this often, spending no attempts.' },
  { env: 'ERP_OUTAGE_FAILURES', key: 'erpOutageFailures', schema: posInt, default: 5, doc: 'ERP calls failing in a row as unreachable (refused, reset, DNS) or 5xx before a failing integration probes the ERP; time-outs neither count nor break the run, so a slow ERP never holds the queue.' },
  { env: 'ERP_RATE_PER_SECOND', key: 'erpRatePerSecond', schema: nonNegInt, default: 0, doc: 'At most this many integration jobs start per second across all workers (BullMQ limiter; 0 = no limit).' },
  { env: 'MARKER_REFRESH_MS', key: 'markerRefreshMs', schema: nonNegInt, default: 0, doc: 'Pull delinquency markers for clients with open chats this often (0 = off).' },
  { env: 'SPELLCHECK_SUGGEST_WORDS', key: 'spellcheckSuggestWords', schema: nonNegInt, default: 8, doc: 'A spell-check looks up suggestions for at most this many words not seen before; the others come with `suggestionsSkipped: true`.' },
  { env: 'SPELLCHECK_BUDGET_MS', key: 'spellcheckBudgetMs', schema: posInt, default: 1500, doc: 'After this much time on one spell-check, the remaining words come without suggestions.' },
  { env: 'SPELLCHECK_MAX_PENDING_PER_KEY', key: 'spellcheckMaxPendingPerKey', schema: posInt, default: 10, doc: 'Spell-checks one API key may have waiting at once per process (429 SPELLCHECK_BUSY beyond).' },
  { env: 'PONTE_WEBHOOK_ALLOW_PRIVATE', key: 'webhookAllowPrivate', schema: bool, default: false, doc: 'Allow webhook destinations that are not public https URLs (loopback, private, any port: tests, on-premise helpdesks).' },
  {
    env: 'PONTE_WEBHOOK_ALLOW_PORTS', key: 'webhookAllowPorts', default: [],
    schema: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 65535 } },
    parse: (raw) => raw.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
    expects: 'a comma-separated list of port numbers',
    doc: 'Ports webhook destinations may use besides 443 (e.g. `8443`); PONTE_WEBHOOK_ALLOW_PRIVATE lifts the port rule too.',
  },
  { env: 'WEBHOOK_RETRY_SCALE', key: 'webhookRetryScale', schema: { type: 'number', exclusiveMinimum: 0, maximum: 1 }, default: 1, parse: (raw) => (raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw), doc: 'Multiplies the webhook retry schedule (at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); below 1 only for tests.' },
  ...(helpdeskSettings('CHATWOOT', 'chatwoot', 'Chatwoot') as Setting[]),
  { env: 'CHATWOOT_ACCOUNT_ID', key: 'chatwoot.mapping.accountId', schema: { type: 'string', pattern: '^[0-9]{1,12}$' }, doc: 'Chatwoot account id, for a resolved conversation whose payload carries no message (the id is read from its messages otherwise).' },
  ...(helpdeskSettings('ZAMMAD', 'zammad', 'Zammad') as Setting[]),
  { env: 'ZAMMAD_CLOSED_STATES', key: 'zammad.mapping.closedStates', schema: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }, default: ['closed'], parse: list, expects: 'a comma-separated list of state names', doc: 'Zammad state names whose state type is `closed` in this installation: a ticket entering one of them is a finished session.' },
  { env: 'HELPDESK_TIMEOUT_MS', key: 'helpdeskTimeoutMs', schema: posInt, default: 10000, doc: 'Per call to a helpdesk API (message list pages, internal notes).' },
  { env: 'QUEUE_PREFIX', key: 'queuePrefix', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]*$' }, default: '', doc: 'Prefix of every queue name, so several ponte installations can share one Redis or database.' },
  { env: 'STALLED_INTERVAL_MS', key: 'stalledIntervalMs', schema: posInt, default: 30000, doc: 'A job whose worker died (crash, kill -9) is back in the queue after 1 to 1.5 times this: each job lock lasts this long and stalled checks run every half. The fourth stall of one job ends its integration `dead` (WORKER_LOST).' },
];

export class ConfigError extends Error {}

function parseTrustProxy(raw: string): unknown {
  const text = raw.trim();
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^\d+$/.test(text)) return Number(text);
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function coerce(setting: Setting, raw: string): unknown {
  if (setting.parse) return setting.parse(raw);
  const type = (setting.schema as { type?: string }).type;
  if (type === 'integer') return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (type === 'boolean') return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
  return raw;
}

function accepts(setting: Setting): string {
  if (setting.expects) return setting.expects;
  const schema = setting.schema;
  if (schema.enum) return `one of ${(schema.enum as string[]).join(', ')}`;
  if (schema.pattern) return `a value matching ${String(schema.pattern)}`;
  if (schema.type === 'integer') return `an integer${schema.minimum !== undefined ? ` >= ${schema.minimum}` : ''}${schema.maximum !== undefined ? ` <= ${schema.maximum}` : ''}`;
  if (schema.type === 'boolean') return 'true or false';
  if (schema.type === 'number') return 'a number greater than 0, at most 1';
  if (schema.type === 'array') return 'a comma-separated list of Standard Webhooks secrets (whsec_...), at most 2';
  return 'a non-empty string';
}

const ajv = shippedAjv({ allErrors: false });

function place(out: Record<string, unknown>, key: string, value: unknown): void {
  const path = key.split('.');
  let at = out;
  for (const part of path.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
  at[path.at(-1)!] = value;
}

/** A value as an error may echo it: secrets never, URLs without their password. */
export function shown(env: string, raw: string): string {
  if (/SECRET|KEYS?$|PASSWORD|TOKEN/.test(env)) return '[redacted]';
  return redactUrlPassword(raw);
}

/** `scheme://user:password@host` → `scheme://user:[redacted]@host`, also in longer text. */
export function redactUrlPassword(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi, '$1[redacted]@');
}

/** Reads and validates settings; throws ConfigError with one line naming the variable. */
export function readSettings(settings: ReadonlyArray<Omit<Setting, 'key'> & { key: string }>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const setting of settings) {
    const raw = env[setting.env];
    if (raw === undefined || raw === '') {
      place(out, setting.key, setting.default);
      continue;
    }
    const value = coerce(setting as Setting, raw);
    if (!ajv.validate(setting.schema, value)) {
      throw new ConfigError(`${setting.env}=${JSON.stringify(shown(setting.env, raw))} is invalid: expected ${accepts(setting as Setting)}`);
    }
    place(out, setting.key, value);
  }
  return out;
}

/** Reads and validates the environment; throws ConfigError with one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = readSettings(SETTINGS, env) as unknown as Config;
  // Returns are archived (hidden from listings) before they are deleted, never the other way round.
  if (config.retentionClosedReturnsDays > 0 && config.retentionClosedReturnsDays < config.returnsRetentionDays) {
    throw new ConfigError(`RETENTION_CLOSED_RETURNS_DAYS=${config.retentionClosedReturnsDays} is invalid: expected 0 or at least RETURNS_RETENTION_DAYS (${config.returnsRetentionDays})`);
  }
  if (config.databaseUrl && !config.secretKey) {
    throw new ConfigError(`PONTE_SECRET_KEY is required with DATABASE_URL: ${SECRET_KEY_EXPECT}, the same on every ponte process`);
  }
  config.publicUrl ??= listeningUrl(config.host, config.port);
  return config;
}

/** Where ponte listens, as a link a browser on this machine opens (a wildcard bind is reached at 127.0.0.1). */
export function listeningUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
