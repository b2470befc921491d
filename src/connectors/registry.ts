// The engine finds connector kinds and built-in sandboxes only here, by name, and builds the
// connector of a mapping set from it; it never reaches into a connector folder's files.

import path from 'node:path';
import type { ConnectorLogger, ErpConnector } from './contract.js';
import { PROJECT_ROOT } from '../schemas.js';
import { SECRET_SETTINGS, type ConnectorKind, type Sandbox, type SandboxStarter, type Transport } from './kinds.js';
import { BUILTIN_MAPPINGS_DIR, loadMappingSet, type MappingSet } from './mapping-set.js';
import { checkSettings, readSettings } from './settings.js';
import { RecordValidator } from './records.js';
import { redactor } from './redact.js';
import { Exchanger } from './exchange.js';
import { MappedConnector } from './engine.js';

const KINDS: Record<MappingSet['kind'], () => Promise<ConnectorKind>> = {
  rest: async () => (await import('../../connectors/rest/index.js')).kind,
  soap: async () => (await import('../../connectors/soap/index.js')).kind,
};

const SANDBOXES: Record<NonNullable<MappingSet['sandbox']>, () => Promise<SandboxStarter>> = {
  bimer: async () => (await import('../../connectors/bimer/index.js')).sandbox,
  'soap-crm': async () => (await import('../../connectors/soap-crm/index.js')).sandbox,
};

/** Each kind's default outcome rules, applied after a set's own. */
export const defaultOutcomes = (kind: MappingSet['kind']) => path.join(PROJECT_ROOT, 'connectors', kind, 'outcomes.json');

/** Loads and checks a mapping set (ERP_CONNECTOR in ERP_MAPPINGS_DIR, the built-in mappings/ by default). */
export function loadConnectorSet(name: string, dir = BUILTIN_MAPPINGS_DIR): Promise<MappingSet> {
  return loadMappingSet(dir, name, { defaultOutcomes });
}

/** A set with a built-in stand-in ERP starts it when its URL setting is unset. */
export function startsBuiltInSandbox(set: MappingSet, env: NodeJS.ProcessEnv): boolean {
  return Boolean(set.sandbox) && !env[set.settings.url.env]?.trim();
}

let records: Promise<RecordValidator> | undefined;

export interface ConnectorOptions {
  env: NodeJS.ProcessEnv;
  log: ConnectorLogger;
  now?: () => number;
  /** DATA_DIR: a built-in sandbox keeps its records there (in memory without it). */
  dataDir?: string;
}

/** The connector of a loaded mapping set, with its settings read from the environment. */
export async function createConnector(set: MappingSet, options: ConnectorOptions): Promise<ErpConnector> {
  const { log } = options;
  const now = options.now ?? Date.now;
  const kind = await KINDS[set.kind]();
  let settings = readSettings(set, options.env);
  let sandbox: Sandbox | undefined;
  if (!settings.url && set.sandbox) {
    sandbox = await (await SANDBOXES[set.sandbox]())(log, { dataDir: options.dataDir });
    settings = { ...settings, ...sandbox.settings };
  }
  try {
    checkSettings(set, kind, settings);
    records ??= RecordValidator.load();
    let transport: Transport | undefined;
    const exchanger = new Exchanger(set, () => transport!, redactor(SECRET_SETTINGS.map((k) => settings[k])), log, now);
    const { body, accessToken, expiresIn } = set.token;
    const token = { accessToken, expiresIn, body: body && ((input: object) => body.evaluate(input, {}, 'token')) };
    transport = kind.createTransport(settings, { token }, { log, now, classify: (call, answer) => exchanger.classify(call, answer), record: (ctx, x) => exchanger.record(ctx, x) });
    return new MappedConnector({ set, transport, exchanger, records: await records, log, onClose: sandbox && (() => sandbox.close()) });
  } catch (err) {
    await sandbox?.close();
    throw err;
  }
}
