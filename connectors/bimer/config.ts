// The bimer connector's configuration: its JSON Schema (validated by the engine at start)
// and how it is read from BIMER_* environment variables.

export interface BimerConfig {
  /** Base URL of the ERP; empty → the built-in sandbox is started instead. */
  url?: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

const credential = { type: 'string', maxLength: 200 };

export const configSchema: Record<string, unknown> = {
  $id: 'connectors/bimer/config',
  type: 'object',
  additionalProperties: false,
  required: ['clientId', 'clientSecret', 'username', 'password', 'timeoutMs'],
  properties: {
    url: { type: 'string', pattern: '^(https?://[^\\s]+)?$', description: 'BIMER_URL; empty starts the built-in sandbox.' },
    clientId: { ...credential, description: 'BIMER_CLIENT_ID' },
    clientSecret: { ...credential, description: 'BIMER_CLIENT_SECRET' },
    username: { ...credential, description: 'BIMER_USERNAME' },
    password: { ...credential, description: 'BIMER_PASSWORD' },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 300_000, description: 'BIMER_TIMEOUT_MS, per HTTP call.' },
  },
  // Against a real ERP every credential is needed; the sandbox brings its own.
  if: { required: ['url'], properties: { url: { type: 'string', minLength: 1 } } },
  then: {
    properties: {
      clientId: { type: 'string', minLength: 1 },
      clientSecret: { type: 'string', minLength: 1 },
      username: { type: 'string', minLength: 1 },
      password: { type: 'string', minLength: 1 },
    },
  },
};

export function configFromEnv(env: NodeJS.ProcessEnv): BimerConfig {
  const timeout = env.BIMER_TIMEOUT_MS?.trim();
  return {
    url: env.BIMER_URL?.trim() || undefined,
    clientId: env.BIMER_CLIENT_ID ?? '',
    clientSecret: env.BIMER_CLIENT_SECRET ?? '',
    username: env.BIMER_USERNAME ?? '',
    password: env.BIMER_PASSWORD ?? '',
    // A non-number stays NaN so the schema rejects it instead of silently using the default.
    timeoutMs: timeout ? Number(timeout) : DEFAULT_TIMEOUT_MS,
  };
}
