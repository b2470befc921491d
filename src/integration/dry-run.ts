// Dry-run of a write at accept time: the connector maps the neutral record and validates the
// payload against its schema without calling the ERP (ErpConnector.dryRun). Each refused
// payload field is named by the request field behind it: the connector's own guess when it
// has one, otherwise by changing one record field at a time and seeing which payload fields
// move — so a deployment's own limits (a 60-character subject, say) reach the helpdesk as a
// 400 naming `subject`.

import type { ErpConnector, PayloadProblem, WriteCall, WriteRecords } from '../connectors/contract.js';
import type { ErrorDetail } from '../errors.js';

type Json = Record<string, unknown>;

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Json)[k] : undefined), obj);
}

function set(obj: Json, path: string, value: unknown): Json {
  const [head, ...rest] = path.split('.');
  const copy = { ...obj };
  copy[head!] = rest.length ? set((copy[head!] as Json | undefined) ?? {}, rest.join('.'), value) : value;
  return copy;
}

/** Another value of the same kind, so the mapping still runs and its output changes. */
function perturbed(value: unknown, path: string): unknown {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'number') return value + 1;
  return `dry-run-${path}-${typeof value === 'string' ? value.length : 0}`;
}

async function payloadOf<C extends WriteCall>(connector: ErpConnector, call: C, record: Json): Promise<unknown> {
  try {
    return (await connector.dryRun(call, record as unknown as WriteRecords[C])).request.payload;
  } catch {
    return undefined;
  }
}

/** Record fields (by their request field) feeding each problem's payload path. */
async function traceFields<C extends WriteCall>(connector: ErpConnector, call: C, record: Json, payload: unknown, problems: PayloadProblem[], sources: Record<string, string>) {
  const feeds = new Map<string, string>();
  for (const [field, requestField] of Object.entries(sources)) {
    const changed = await payloadOf(connector, call, set(record, field, perturbed(get(record, field), field)));
    if (changed === undefined) continue;
    for (const p of problems) {
      if (!feeds.has(p.path) && JSON.stringify(get(changed, p.path)) !== JSON.stringify(get(payload, p.path))) feeds.set(p.path, requestField);
    }
  }
  return feeds;
}

/**
 * The payload problems of `record` for `call`, each named by its request field (`sources` maps
 * record fields to request fields; paths under `prefix`).
 */
export async function payloadProblems<C extends WriteCall>(
  connector: ErpConnector,
  call: C,
  record: WriteRecords[C],
  sources: Record<string, string>,
  prefix = '',
): Promise<ErrorDetail[]> {
  const body = prefix.replace(/\.$/, '') || '(body)';
  let dry;
  try {
    dry = await connector.dryRun(call, record);
  } catch (err) {
    return [{ path: body, message: `the ${call} mapping cannot map this request: ${(err as Error).message}` }];
  }
  if (dry.problems.length === 0) return [];
  const unnamed = dry.problems.filter((p) => !(p.field && sources[p.field]));
  const traced = unnamed.length ? await traceFields(connector, call, record as unknown as Json, dry.request.payload, unnamed, sources) : new Map<string, string>();
  return dry.problems.map((p) => {
    const field = (p.field && sources[p.field]) || traced.get(p.path);
    const message = `the ERP's ${call} payload refuses ${p.path}: ${p.message}`;
    return { path: field ? `${prefix}${field}` : body, message };
  });
}
