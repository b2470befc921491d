// The updater connector's configuration: its JSON Schema (checked before the provider is built)
// and how it is read from UPDATER_* environment variables.

export interface UpdaterConfig {
  /** Base URL of the updater center's API; empty → the built-in sandbox is started instead. */
  url?: string;
  apiKey: string;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export const configSchema: Record<string, unknown> = {
  $id: 'connectors/updater/config',
  type: 'object',
  additionalProperties: false,
  required: ['apiKey', 'timeoutMs'],
  properties: {
    url: { type: 'string', pattern: '^https?://[^\\s]+$', description: 'UPDATER_URL; unset starts the built-in sandbox.' },
    apiKey: { type: 'string', maxLength: 500, description: 'UPDATER_API_KEY' },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 300_000, description: 'UPDATER_TIMEOUT_MS' },
  },
  if: { required: ['url'] },
  then: { properties: { apiKey: { type: 'string', minLength: 1 } } },
};

export function configFromEnv(env: NodeJS.ProcessEnv): UpdaterConfig {
  const timeout = env.UPDATER_TIMEOUT_MS?.trim();
  return {
    url: env.UPDATER_URL?.trim() || undefined,
    apiKey: env.UPDATER_API_KEY ?? '',
    // A non-number stays NaN so the schema rejects it instead of silently using the default.
    timeoutMs: timeout ? Number(timeout) : DEFAULT_TIMEOUT_MS,
  };
}
