// Building one request of a call from its mapping: JSONata over the neutral input, with the
// paginator's variables bound ($page, $size, $offset, $cursor). The transport adds the call
// context's headers (trace context) and the credential.

import { ConnectorError } from '../errors.js';
import type { Expression } from './expression.js';
import type { RestRequest, SoapRequest, WireRequest } from './kinds.js';
import type { LoadedCall } from './mapping-set.js';

export type Bindings = Record<string, unknown>;

function scalar(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

async function expandPath(parts: Array<string | Expression>, input: unknown, bindings: Bindings, call: string): Promise<string> {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = scalar(await part.evaluate(input, bindings, call));
    // An empty segment would silently address another resource (/atendimentos/ instead of /atendimentos/123).
    if (value === undefined) throw ConnectorError.permanent('MAPPING_FAILED', `${call}: the path part {${part.source}} (${part.where}) is empty`);
    out += encodeURIComponent(value);
  }
  return out;
}

function objectOf(value: unknown, call: string, what: string, where: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ConnectorError.permanent('MAPPING_FAILED', `${call}: ${what} (${where}) must produce an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

export async function buildRequest(call: LoadedCall, input: unknown, bindings: Bindings): Promise<WireRequest> {
  const r = call.request;
  if (r.kind === 'soap') {
    const args = r.arguments ? objectOf(await r.arguments.evaluate(input, bindings, call.name), call.name, 'the arguments', r.arguments.where) : {};
    return { operation: r.operation, arguments: args } satisfies SoapRequest;
  }
  const query: Array<[string, string]> = [];
  for (const [name, expr] of r.query) {
    const value = await expr.evaluate(input, bindings, call.name);
    for (const v of Array.isArray(value) ? value : [value]) {
      const text = scalar(v);
      if (text !== undefined) query.push([name, text]);
    }
  }
  const mapped: Record<string, string> = {};
  for (const [name, expr] of r.headers) {
    const text = scalar(await expr.evaluate(input, bindings, call.name));
    if (text !== undefined) mapped[name] = text;
  }
  const body = r.body ? await r.body.evaluate(input, bindings, call.name) : undefined;
  return { method: r.method, path: await expandPath(r.path, input, bindings, call.name), query, headers: mapped, body, form: r.form } satisfies RestRequest;
}

/** The payload a schema checks: the REST body or the SOAP arguments. */
export function payloadOf(request: WireRequest): unknown {
  return 'operation' in request ? request.arguments : request.body;
}

/** How a request shows in a dry run: path with its query string. */
export function shownPath(request: RestRequest): string {
  const qs = new URLSearchParams(request.query).toString();
  return qs ? `${request.path}?${qs}` : request.path;
}
