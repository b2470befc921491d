// The remote-access connector: creates remote-support sessions (access code and link) and
// reports their state. Without REMOTE_ACCESS_URL it starts its own sandbox provider.

import type { ProviderDeps, ProviderManifest, RemoteAccessProvider } from '../../src/tools/contracts.js';
import { RemoteAccessClient } from './client.js';
import { configFromEnv, configSchema, type RemoteAccessConfig } from './config.js';

export type { RemoteAccessConfig } from './config.js';

async function create(config: RemoteAccessConfig, deps: ProviderDeps): Promise<RemoteAccessProvider> {
  if (config.url) return new RemoteAccessClient({ url: config.url, apiKey: config.apiKey, timeoutMs: config.timeoutMs }, deps.log);
  // Loaded only here: production never loads the sandbox's server.
  const { startRemoteAccessSandbox } = await import('./sandbox/server.js');
  const sandbox = await startRemoteAccessSandbox();
  deps.log.info({ url: sandbox.url }, 'REMOTE_ACCESS_URL is not set: using the built-in remote-access sandbox');
  return new RemoteAccessClient({ url: sandbox.url, apiKey: sandbox.apiKey, timeoutMs: config.timeoutMs }, deps.log, () => sandbox.close());
}

export const manifest: ProviderManifest<RemoteAccessConfig, RemoteAccessProvider> = {
  name: 'remote-access',
  description: 'Remote-support sessions (access code + link, state waiting/connected/ended/failed) over a small REST API; built-in sandbox when REMOTE_ACCESS_URL is unset.',
  configSchema,
  configFromEnv,
  create,
};
