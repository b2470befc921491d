// The updater connector ("updater center"): releases a system version to a client, once per
// idempotency key. Without UPDATER_URL it starts its own sandbox updater.

import type { ProviderDeps, ProviderManifest, UpdaterProvider } from '../../src/tools/contracts.js';
import { UpdaterClient } from './client.js';
import { configFromEnv, configSchema, type UpdaterConfig } from './config.js';

export type { UpdaterConfig } from './config.js';

async function create(config: UpdaterConfig, deps: ProviderDeps): Promise<UpdaterProvider> {
  if (config.url) return new UpdaterClient({ url: config.url, apiKey: config.apiKey, timeoutMs: config.timeoutMs }, deps.log);
  // Loaded only here: production never loads the sandbox's server.
  const { startUpdaterSandbox } = await import('./sandbox/server.js');
  const sandbox = await startUpdaterSandbox();
  deps.log.info({ url: sandbox.url }, 'UPDATER_URL is not set: using the built-in updater sandbox');
  return new UpdaterClient({ url: sandbox.url, apiKey: sandbox.apiKey, timeoutMs: config.timeoutMs }, deps.log, () => sandbox.close());
}

export const manifest: ProviderManifest<UpdaterConfig, UpdaterProvider> = {
  name: 'updater',
  description: 'Updater center: releases a system version to a client, idempotent on the release id; built-in sandbox when UPDATER_URL is unset.',
  configSchema,
  configFromEnv,
  create,
};
