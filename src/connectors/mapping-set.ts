// A mapping set: the folder (mappings/<name>/ or ERP_MAPPINGS_DIR/<name>/) that says how ponte
// reaches one ERP — connector.json (kind, settings, calls), outcomes.json (what answers mean),
// .jsonata files and payloads/<call>.json. Loaded and checked once at start; a bad file stops
// the start with one line naming it.

import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { PROJECT_ROOT } from '../schemas.js';
import type { ConnectorCall, ReadCall, WriteCall } from './contract.js';
import { CALL_NAMES, CALL_SHAPES } from './calls.js';
import { SETTING_KEYS, type SettingKey } from './kinds.js';
import { Expression, MappingFileError } from './expression.js';
import { compile, compileTemplate, FileFormats, readJson, shown, type ExprSource } from './mapping-files.js';
import type { Rule } from './outcomes.js';

export const BUILTIN_MAPPINGS_DIR = path.join(PROJECT_ROOT, 'mappings');

export interface RestCallRequest {
  kind: 'rest';
  method: string;
  path: Array<string | Expression>;
  query: Array<[string, Expression]>;
  headers: Array<[string, Expression]>;
  body?: Expression;
  form: boolean;
}
export interface SoapCallRequest { kind: 'soap'; operation: string; arguments?: Expression }

export interface Pagination {
  type: 'page' | 'offset' | 'cursor';
  size: number;
  first: number;
  maxPages: number;
  next?: Expression;
  more?: Expression;
}

export interface LoadedCall {
  name: ConnectorCall;
  before: Array<[string, ReadCall]>;
  request: RestCallRequest | SoapCallRequest;
  pagination?: Pagination;
  records?: string;
  record?: Expression;
  result?: Expression;
  errors?: Expression;
  envelope?: Expression;
  /** The call's own rules, consulted before the set's. */
  outcomes: Rule[];
  payload?: ValidateFunction;
}

export interface MappingSet {
  name: string;
  dir: string;
  kind: 'rest' | 'soap';
  description: string;
  sandbox?: 'bimer' | 'soap-crm';
  /** Every setting key with the variable it is read from and its default. */
  settings: Record<SettingKey, { env: string; default?: string }>;
  /** The bimer-core strategy's sign-in: the body (default {username, password}) and where the answer holds the token. */
  token: { body?: Expression; accessToken: string; expiresIn: string };
  ping: ReadCall;
  cannotApply: Partial<Record<WriteCall, string[]>>;
  calls: Partial<Record<ConnectorCall, LoadedCall>>;
  /** outcomes.json, then the kind's defaults. */
  rules: Rule[];
}

interface RuleFile { when: Record<string, unknown> & { test?: string }; outcome: Rule['outcome']; code: string; message?: string; then?: Rule['then'] }
interface CallFile {
  before?: Record<string, ReadCall>;
  request: { method?: string; path?: string; query?: Record<string, ExprSource>; headers?: Record<string, ExprSource>; body?: ExprSource; form?: boolean; operation?: string; arguments?: ExprSource };
  pagination?: { type: Pagination['type']; size: number; first?: number; maxPages?: number; next?: ExprSource; more?: ExprSource };
  answer?: { records?: string; record?: ExprSource; result?: ExprSource; errors?: ExprSource; envelope?: ExprSource };
  outcomes?: RuleFile[];
}
interface ConnectorFile {
  kind: 'rest' | 'soap';
  description?: string;
  sandbox?: 'bimer' | 'soap-crm';
  settings?: Partial<Record<SettingKey, { env?: string; default?: string }>>;
  auth?: { token?: { body?: ExprSource; accessToken?: string; expiresIn?: string } };
  answers?: { records?: string; errors?: ExprSource; envelope?: ExprSource };
  ping?: ReadCall;
  cannotApply?: Partial<Record<WriteCall, string[]>>;
  calls: Partial<Record<ConnectorCall, CallFile>>;
}

const envName = (key: SettingKey) => `ERP_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

/** The mapping sets in a directory: its sub-folders holding a connector.json. */
export async function listMappingSets(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const sets = await Promise.all(entries.filter((e) => e.isDirectory()).map(async (e) => ((await exists(path.join(dir, e.name, 'connector.json'))) ? e.name : undefined)));
  return sets.filter((s): s is string => Boolean(s)).sort();
}

async function loadRules(raw: RuleFile[], file: string, pointer: string, envOf: (key: string) => string | undefined): Promise<Rule[]> {
  return Promise.all(
    raw.map(async (r, i) => {
      const { test, ...when } = r.when;
      const message = (r.message ?? r.code).replace(/\{env\.([a-zA-Z]+)\}/g, (whole, key: string) => envOf(key) ?? whole);
      return { ...r, message, when: { ...when, ...(test ? { test: await compile(test, file, `${pointer}/${i}/when/test`) } : {}) } } as Rule;
    }),
  );
}

async function loadCall(name: ConnectorCall, raw: CallFile, set: Pick<MappingSet, 'kind' | 'dir'>, formats: FileFormats, file: string, envOf: (key: string) => string | undefined): Promise<LoadedCall> {
  const at = `/calls/${name}`;
  const c = (source: ExprSource | undefined, pointer: string) => (source === undefined ? undefined : compile(source, file, `${at}${pointer}`));
  const r = raw.request;
  let request: LoadedCall['request'];
  if (set.kind === 'rest') {
    if (!r.method || !r.path) throw new MappingFileError(shown(file), `${at}/request needs method and path (kind rest)`);
    request = {
      kind: 'rest',
      method: r.method,
      path: await compileTemplate(r.path, file, `${at}/request/path`),
      query: await Promise.all(Object.entries(r.query ?? {}).map(async ([k, v]) => [k, (await c(v, `/request/query/${k}`))!] as [string, Expression])),
      headers: await Promise.all(Object.entries(r.headers ?? {}).map(async ([k, v]) => [k, (await c(v, `/request/headers/${k}`))!] as [string, Expression])),
      body: await c(r.body, '/request/body'),
      form: r.form ?? false,
    };
  } else {
    if (!r.operation) throw new MappingFileError(shown(file), `${at}/request needs operation (kind soap)`);
    request = { kind: 'soap', operation: r.operation, arguments: await c(r.arguments, '/request/arguments') };
  }
  const p = raw.pagination;
  if (p?.type === 'cursor' && !p.next) throw new MappingFileError(shown(file), `${at}/pagination: a cursor pagination needs "next"`);
  const payloadFile = path.join(set.dir, 'payloads', `${name}.json`);
  return {
    name,
    before: Object.entries(raw.before ?? {}),
    request,
    pagination: p && { type: p.type, size: p.size, first: p.first ?? 1, maxPages: p.maxPages ?? 100, next: await c(p.next, '/pagination/next'), more: await c(p.more, '/pagination/more') },
    records: raw.answer?.records,
    record: await c(raw.answer?.record, '/answer/record'),
    result: await c(raw.answer?.result, '/answer/result'),
    errors: await c(raw.answer?.errors, '/answer/errors'),
    envelope: await c(raw.answer?.envelope, '/answer/envelope'),
    outcomes: await loadRules(raw.outcomes ?? [], file, `${at}/outcomes`, envOf),
    payload: CALL_SHAPES[name].write && (await exists(payloadFile)) ? await formats.payloadSchema(payloadFile) : undefined,
  };
}

function checkReferences(f: ConnectorFile, file: string): void {
  const missing = CALL_NAMES.filter((n) => !CALL_SHAPES[n].optional && !f.calls[n]);
  if (missing.length) throw new MappingFileError(shown(file), `/calls lacks ${missing.join(', ')} (every call but listClientProducts, listCriticalFactors, getMarkers and listProductVersions must be mapped)`);
  for (const [name, call] of Object.entries(f.calls) as Array<[ConnectorCall, CallFile]>) {
    for (const [key, needed] of Object.entries(call.before ?? {})) {
      if (!f.calls[needed] || needed === name) throw new MappingFileError(shown(file), `/calls/${name}/before/${key}: ${needed} is not a mapped call it can run first`);
    }
    if (call.pagination && CALL_SHAPES[name].output !== 'list') throw new MappingFileError(shown(file), `/calls/${name}/pagination: only list calls are paginated`);
  }
  if (f.ping && !f.calls[f.ping]) throw new MappingFileError(shown(file), `/ping: ${f.ping} is not mapped`);
}

export interface LoadOptions {
  /** The kind's default rules file (connectors/<kind>/outcomes.json). */
  defaultOutcomes(kind: 'rest' | 'soap'): string;
}

export async function loadMappingSet(dir: string, name: string, options: LoadOptions): Promise<MappingSet> {
  const folder = path.join(dir, name);
  const file = path.join(folder, 'connector.json');
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name) || !(await exists(file))) {
    const known = await listMappingSets(dir);
    throw new MappingFileError('ERP_CONNECTOR', `no mapping set "${name}" in ${shown(dir)} (known: ${known.join(', ') || 'none'})`);
  }
  const formats = await FileFormats.load();
  const raw = (await readJson(file)) as ConnectorFile;
  formats.check(formats.connector, raw, file);
  checkReferences(raw, file);
  const settings = Object.fromEntries(SETTING_KEYS.map((k) => [k, { env: raw.settings?.[k]?.env ?? envName(k), ...(raw.settings?.[k]?.default !== undefined ? { default: raw.settings[k]!.default } : {}) }])) as MappingSet['settings'];
  const envOf = (key: string) => settings[key as SettingKey]?.env;

  const outcomesFile = path.join(folder, 'outcomes.json');
  const own = (await exists(outcomesFile)) ? ((await readJson(outcomesFile)) as { rules: RuleFile[] }) : { rules: [] };
  formats.check(formats.outcomes, own, outcomesFile);
  const defaultsFile = options.defaultOutcomes(raw.kind);
  const defaults = (await readJson(defaultsFile)) as { rules: RuleFile[] };
  formats.check(formats.outcomes, defaults, defaultsFile);

  const set = { kind: raw.kind, dir: folder };
  const calls: MappingSet['calls'] = {};
  for (const [callName, call] of Object.entries(raw.calls) as Array<[ConnectorCall, CallFile]>) calls[callName] = await loadCall(callName, call, set, formats, file, envOf);
  const defaultsFor = async (source: ExprSource | undefined, pointer: string) => (source === undefined ? undefined : compile(source, file, pointer));
  const [errors, envelope] = [await defaultsFor(raw.answers?.errors, '/answers/errors'), await defaultsFor(raw.answers?.envelope, '/answers/envelope')];
  for (const call of Object.values(calls)) {
    call.records ??= raw.answers?.records;
    call.errors ??= errors;
    call.envelope ??= envelope;
  }
  const token = raw.auth?.token;
  return {
    name,
    dir: folder,
    kind: raw.kind,
    description: raw.description ?? '',
    sandbox: raw.sandbox,
    settings,
    token: { body: await defaultsFor(token?.body, '/auth/token/body'), accessToken: token?.accessToken ?? 'accessToken', expiresIn: token?.expiresIn ?? 'expiresIn' },
    ping: raw.ping ?? 'listResponsibilityCenters',
    cannotApply: raw.cannotApply ?? {},
    calls,
    rules: [...(await loadRules(own.rules, outcomesFile, '/rules', envOf)), ...(await loadRules(defaults.rules, defaultsFile, '/rules', envOf))],
  };
}
