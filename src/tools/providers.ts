// The chat tools' provider connectors, per ponte instance (one Deps): built lazily from
// process.env through their manifests the first time a job needs one, closed by closeProviders().
//
// Why a registry and not an onClose hook of the route plugin: only jobs call the providers, and
// `ponte worker` processes have no HTTP app, so the tools worker closes them when it closes.
// Keyed by Deps (a WeakMap) because tests run several ponte instances in one process.

import { shippedAjv } from '../schemas.js';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import type { ProviderManifest, RemoteAccessProvider, RemoteAccessSettings, UpdaterProvider } from './contracts.js';

const MANIFESTS = {
  remoteAccess: async (): Promise<ProviderManifest<RemoteAccessSettings, RemoteAccessProvider>> => (await import('../../connectors/remote-access/index.js')).manifest,
  updater: async (): Promise<ProviderManifest<unknown, UpdaterProvider>> => (await import('../../connectors/updater/index.js')).manifest,
};

type Kind = keyof typeof MANIFESTS;
type ProviderOf<K extends Kind> = K extends 'remoteAccess' ? RemoteAccessProvider : UpdaterProvider;

const instances = new WeakMap<Deps, Map<Kind, Promise<RemoteAccessProvider | UpdaterProvider>>>();
const ajv = shippedAjv({ allErrors: true, strict: false });

/** The manifest's config from the environment, checked against its schema (the error names the variable). */
export function validConfig<C>(manifest: ProviderManifest<C, unknown>, env: NodeJS.ProcessEnv = process.env): C {
  const config = manifest.configFromEnv(env);
  const validate = ajv.getSchema(String(manifest.configSchema.$id)) ?? ajv.compile(manifest.configSchema);
  if (validate(config)) return config;
  const properties = (manifest.configSchema.properties ?? {}) as Record<string, { description?: string }>;
  const details = (validate.errors ?? []).map((e) => {
    const property = e.instancePath.split('/').filter(Boolean)[0] ?? '';
    const variable = properties[property]?.description?.split(/[;\s]/)[0] ?? property;
    return { path: variable || manifest.name, message: e.message ?? 'is invalid' };
  });
  throw new ValidationError(`${manifest.name} provider settings are invalid: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details, 'PROVIDER_CONFIG_INVALID');
}

function provider<K extends Kind>(deps: Deps, kind: K): Promise<ProviderOf<K>> {
  let byKind = instances.get(deps);
  if (!byKind) instances.set(deps, (byKind = new Map()));
  let created = byKind.get(kind);
  if (!created) {
    created = (async () => {
      const manifest = (await MANIFESTS[kind]()) as ProviderManifest<unknown, ProviderOf<K>>;
      return manifest.create(validConfig(manifest), { log: deps.log.child({ component: 'provider', provider: manifest.name }) });
    })();
    // A failed start is forgotten, so the next job tries again (the settings may be fixed by then).
    created.catch(() => byKind!.delete(kind));
    byKind.set(kind, created);
  }
  return created as Promise<ProviderOf<K>>;
}

export const remoteAccessProvider = (deps: Deps) => provider(deps, 'remoteAccess');
export const updaterProvider = (deps: Deps) => provider(deps, 'updater');

/** REMOTE_POLL_MS and the push secret, read without starting the provider. */
export async function remoteAccessSettings(): Promise<RemoteAccessSettings> {
  return validConfig(await MANIFESTS.remoteAccess());
}

/** Closes what this instance started; a later use starts them again. */
export async function closeProviders(deps: Deps): Promise<void> {
  const byKind = instances.get(deps);
  if (!byKind) return;
  const all = [...byKind.values()];
  byKind.clear();
  await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close().catch((err: unknown) => deps.log.warn({ err }, 'provider did not close cleanly'))));
}
