// The contract between the chat tools and their provider connectors (connectors/remote-access,
// connectors/updater). Connectors import only this file and src/errors.ts from the engine.

import { ConnectorError } from '../errors.js';

export const REMOTE_STATES = ['waiting', 'connected', 'ended', 'failed'] as const;
export type RemoteState = (typeof REMOTE_STATES)[number];

export interface ProviderLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface ProviderDeps {
  log: ProviderLogger;
}

/** A remote-access session as the provider created it. */
export interface CreatedRemoteSession {
  sessionId: string;
  /** What the client types (or reads to the agent) to let the technician in. */
  accessCode: string;
  link: string;
}

export interface RemoteSessionStatus {
  state: RemoteState;
  /** Why a session failed, in the provider's words. */
  reason?: string;
}

/** Every failure is a ConnectorError (transient: retried with backoff; permanent: failed at once). */
export interface RemoteAccessProvider {
  readonly name: string;
  /** `reference` is ponte's session id: a retried call returns the session already created for it. */
  createSession(input: { reference: string; label: string }): Promise<CreatedRemoteSession>;
  getSession(sessionId: string): Promise<RemoteSessionStatus>;
  close(): Promise<void>;
}

/** What the engine itself reads from the remote-access connector's settings. */
export interface RemoteAccessSettings {
  /** How often the state of sessions that can still change is pulled (REMOTE_POLL_MS). */
  pollMs: number;
  /** Shared secret of pushed state changes; unset = push off. */
  webhookSecret?: string;
}

export interface VersionReleaseInput {
  /** ponte's release id, sent as the idempotency key: the updater applies a key once. */
  releaseId: string;
  clientCode: string;
  system: string;
  version: string;
}

export interface UpdaterProvider {
  readonly name: string;
  /** Returns the updater's own id of the release (the same one when the key was seen before). */
  release(input: VersionReleaseInput): Promise<{ updaterReleaseId: string }>;
  close(): Promise<void>;
}

/** What a provider connector folder exports as `manifest` from its index.ts. */
export interface ProviderManifest<Config, Provider> {
  name: string;
  description: string;
  /** JSON Schema of the configuration; each property's description names its variable. */
  configSchema: Record<string, unknown>;
  configFromEnv(env: NodeJS.ProcessEnv): Config;
  create(config: Config, deps: ProviderDeps): Promise<Provider>;
}

/**
 * How both providers' HTTP answers map to ponte's errors (one table, not `if` chains): what a
 * retry can fix is transient; a refusal of the request itself is permanent.
 */
const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/** ("remote-access", "UNAVAILABLE") → "REMOTE_ACCESS_UNAVAILABLE": error codes name the provider that failed. */
export const providerErrorCode = (provider: string, what: string) => `${provider.toUpperCase().replace(/-/g, '_')}_${what}`;

export function providerHttpError(provider: string, operation: string, status: number, message: string, retryAfterMs?: number): ConnectorError {
  const text = `${provider} ${operation}: HTTP ${status}${message ? ` – ${message}` : ''}`;
  if (TRANSIENT_STATUSES.has(status) || status >= 500) return ConnectorError.transient(providerErrorCode(provider, 'UNAVAILABLE'), text, { retryAfterMs });
  const code = status === 401 || status === 403 ? 'AUTH_FAILED' : status === 404 ? 'NOT_FOUND' : 'REJECTED';
  return ConnectorError.permanent(providerErrorCode(provider, code), text);
}

/** No answer at all (refused, reset, timed out): the provider may be back on the next attempt. */
export function providerNetworkError(provider: string, operation: string, cause: unknown): ConnectorError {
  const e = cause as { name?: string; message?: string };
  const what = e?.name === 'TimeoutError' || e?.name === 'AbortError' ? 'no answer in time' : e?.message ?? String(cause);
  return ConnectorError.transient(providerErrorCode(provider, 'UNREACHABLE'), `${provider} ${operation}: ${what}`, { cause });
}
