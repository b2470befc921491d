// The bimer connector: a REST client of the Bimer-style CRM contract (design/BIMER.md).
// Without BIMER_URL it starts its own sandbox, so `ponte serve` works out of the box.

import type { ConnectorDeps, ConnectorManifest, ConnectorLogger } from '../../src/connectors/contract.js';
import { ValidationError } from '../../src/errors.js';
import { PasswordGrantTokens, type Credentials } from './auth.js';
import { configFromEnv, configSchema, type BimerConfig } from './config.js';
import { BimerHttp, createAxios } from './http.js';
import { BimerConnector } from './operations.js';

export type { BimerConfig } from './config.js';

export interface ConnectorOptions {
  /** Injected clock (token expiry). */
  now?: () => number;
  /** Called by close(), e.g. to stop a sandbox started for this connector. */
  onClose?: () => Promise<void>;
}

/** Wires one connector: one axios instance, one shared token, the operations. */
export function createBimerConnector(
  target: { url: string; timeoutMs: number; credentials: Credentials },
  log: ConnectorLogger,
  options: ConnectorOptions = {},
): BimerConnector {
  const http = createAxios(target.url, target.timeoutMs);
  const tokens = new PasswordGrantTokens({ http, credentials: target.credentials, log, now: options.now });
  return new BimerConnector(new BimerHttp(http, tokens, log, options.now), tokens, log, options.onClose);
}

const CREDENTIAL_ENV: Record<keyof Credentials, string> = {
  clientId: 'BIMER_CLIENT_ID',
  clientSecret: 'BIMER_CLIENT_SECRET',
  username: 'BIMER_USERNAME',
  password: 'BIMER_PASSWORD',
};

async function create(config: BimerConfig, deps: ConnectorDeps): Promise<BimerConnector> {
  // Checked here too: axios reads a NaN or 0 timeout as "wait forever".
  if (!Number.isInteger(config.timeoutMs) || config.timeoutMs < 100) throw ValidationError.field('BIMER_TIMEOUT_MS', 'must be a whole number of milliseconds, at least 100');
  if (config.url) {
    const missing = (Object.keys(CREDENTIAL_ENV) as Array<keyof Credentials>).filter((k) => !config[k]).map((k) => CREDENTIAL_ENV[k]);
    if (missing.length) throw new ValidationError(`BIMER_URL is set but ${missing.join(', ')} is not`, missing.map((path) => ({ path, message: 'required when BIMER_URL is set' })));
    const { url, timeoutMs, clientId, clientSecret, username, password } = config;
    return createBimerConnector({ url, timeoutMs, credentials: { clientId, clientSecret, username, password } }, deps.log);
  }
  // Loaded only here: production never loads Fastify for the sandbox.
  const { startBimerSandbox, SANDBOX_CREDENTIALS } = await import('./sandbox/server.js');
  const sandbox = await startBimerSandbox();
  deps.log.info({ url: sandbox.url }, 'BIMER_URL is not set: using the built-in Bimer sandbox');
  return createBimerConnector({ url: sandbox.url, timeoutMs: config.timeoutMs, credentials: SANDBOX_CREDENTIALS }, deps.log, { onClose: () => sandbox.close() });
}

export const manifest: ConnectorManifest<BimerConfig> = {
  name: 'bimer',
  description: 'Bimer-style ERP over REST (OAuth password grant, {Erros, ListaObjetos} envelope); built-in sandbox when BIMER_URL is unset.',
  configSchema,
  configFromEnv,
  operations: ['createCase', 'addOpinion', 'notify'],
  create,
};
