// The remote-access connector's configuration: its JSON Schema (checked before the provider is
// built) and how it is read from REMOTE_ACCESS_* / REMOTE_POLL_MS environment variables.

import type { RemoteAccessSettings } from '../../src/tools/contracts.js';

export interface RemoteAccessConfig extends RemoteAccessSettings {
  /** Base URL of the provider's API; empty → the built-in sandbox is started instead. */
  url?: string;
  apiKey: string;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_POLL_MS = 5_000;

export const configSchema: Record<string, unknown> = {
  $id: 'connectors/remote-access/config',
  type: 'object',
  additionalProperties: false,
  required: ['apiKey', 'timeoutMs', 'pollMs'],
  properties: {
    url: { type: 'string', pattern: '^https?://[^\\s]+$', description: 'REMOTE_ACCESS_URL; unset starts the built-in sandbox.' },
    apiKey: { type: 'string', maxLength: 500, description: 'REMOTE_ACCESS_API_KEY' },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 300_000, description: 'REMOTE_ACCESS_TIMEOUT_MS' },
    pollMs: { type: 'integer', minimum: 100, maximum: 3_600_000, description: 'REMOTE_POLL_MS' },
    webhookSecret: { type: 'string', minLength: 16, maxLength: 500, description: 'REMOTE_ACCESS_WEBHOOK_SECRET' },
  },
  // A real provider needs its key; the sandbox brings its own.
  if: { required: ['url'] },
  then: { properties: { apiKey: { type: 'string', minLength: 1 } } },
};

/** A number that does not parse stays NaN, so the schema rejects it instead of using the default. */
const integer = (raw: string | undefined, fallback: number) => (raw?.trim() ? Number(raw) : fallback);

export function configFromEnv(env: NodeJS.ProcessEnv): RemoteAccessConfig {
  return {
    url: env.REMOTE_ACCESS_URL?.trim() || undefined,
    apiKey: env.REMOTE_ACCESS_API_KEY ?? '',
    timeoutMs: integer(env.REMOTE_ACCESS_TIMEOUT_MS, DEFAULT_TIMEOUT_MS),
    pollMs: integer(env.REMOTE_POLL_MS, DEFAULT_POLL_MS),
    webhookSecret: env.REMOTE_ACCESS_WEBHOOK_SECRET?.trim() || undefined,
  };
}
