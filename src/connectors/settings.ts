// A mapping set's settings read from the environment: each setting from the variable the set
// names (ERP_<SETTING> unless it says otherwise), its default applied, problems named by variable.

import { ValidationError } from '../errors.js';
import { SETTING_KEYS, type ConnectorKind, type Settings } from './kinds.js';
import type { MappingSet } from './mapping-set.js';

/** `{url}` in a default is the url setting ("{url}?wsdl"). */
function expand(value: string, settings: Settings): string {
  return value.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) => settings[key as keyof Settings] ?? whole);
}

export function readSettings(set: MappingSet, env: NodeJS.ProcessEnv): Settings {
  const settings: Settings = {};
  for (const key of SETTING_KEYS) {
    const raw = env[set.settings[key].env]?.trim();
    if (raw) settings[key] = raw;
  }
  for (const key of SETTING_KEYS) {
    const fallback = set.settings[key].default;
    if (settings[key] === undefined && fallback !== undefined) settings[key] = expand(fallback, settings);
  }
  return settings;
}

/** The kind's checks, reported as one 400-style error naming the variables. */
export function checkSettings(set: MappingSet, kind: ConnectorKind, settings: Settings): void {
  const problems = kind.checkSettings(settings).map((p) => ({ path: set.settings[p.key].env, message: p.message }));
  if (problems.length) throw new ValidationError(problems.map((p) => `${p.path} ${p.message}`).join('; '), problems);
}
