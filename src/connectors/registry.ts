// The engine finds connectors only here, by name; it never reaches into a connector's files.

import type { ConnectorDeps, ConnectorManifest, ErpConnector } from './contract.js';
import { ValidationError } from '../errors.js';

const REGISTRY: Record<string, () => Promise<ConnectorManifest<any>>> = {
  bimer: async () => (await import('../../connectors/bimer/index.js')).manifest,
  'soap-crm': async () => (await import('../../connectors/soap-crm/index.js')).manifest,
};

export const CONNECTOR_NAMES = Object.keys(REGISTRY);

export async function loadManifest(name: string): Promise<ConnectorManifest<any>> {
  const load = REGISTRY[name];
  if (!load) throw ValidationError.field('ERP_CONNECTOR', `unknown connector "${name}" (known: ${CONNECTOR_NAMES.join(', ')})`);
  return load();
}

export async function createConnector(name: string, env: NodeJS.ProcessEnv, deps: ConnectorDeps): Promise<ErpConnector> {
  const manifest = await loadManifest(name);
  return manifest.create(manifest.configFromEnv(env), deps);
}
