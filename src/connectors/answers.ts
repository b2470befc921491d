// Reading a call's answer: the record selector (a dotted path; absent is a contract mismatch
// unless the WSDL declares it optional, null or [] is none), each record mapped to the neutral
// record, and the call's result built from them.

import type { LoadedCall } from './mapping-set.js';
import { mismatch } from './records.js';

/** Mapped records drop null and empty values: they mean "absent" in every ERP seen so far. */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== '' && v !== undefined).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

function asList(node: unknown): unknown[] {
  if (node === null || node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

/** The raw records at `path` of one answer; `declares` says whether an absent path is allowed to be absent. */
export async function selectRecords(call: string, body: unknown, path: string | undefined, declares?: (path: string) => Promise<boolean>): Promise<unknown[]> {
  if (path === undefined || path === '$') return isEmpty(body) ? [] : asList(body);
  let node: unknown = body;
  for (const step of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !(step in node)) {
      if (declares && (await declares(path))) return [];
      throw mismatch(call, path, 'is not in the answer (the records path of the mapping)', body);
    }
    node = (node as Record<string, unknown>)[step];
  }
  return asList(node);
}

/** Each raw record through the call's record mapping (identity without one). */
export async function mapRecords(call: LoadedCall, rows: unknown[], input: unknown): Promise<unknown[]> {
  if (!call.record) return rows.map(normalize);
  const out: unknown[] = [];
  for (const row of rows) out.push(normalize(await call.record.evaluate(row, { input }, call.name)));
  return out;
}

/** The result mapping over the (last) answer, with the mapped records bound as $records. */
export async function resultOf(call: LoadedCall, body: unknown, records: unknown[], input: unknown): Promise<unknown> {
  if (!call.result) return undefined;
  const value = await call.result.evaluate(body ?? {}, { records, input }, call.name);
  return value === undefined ? undefined : normalize(value);
}
