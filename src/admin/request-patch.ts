// An admin's patch of a stored integration request: JSON Merge Patch (RFC 7386, `null`
// removes a field), the merged request checked against the same JSON Schema as on
// creation, and the from/to of every changed field for the audit trail.

import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadSchemas, shippedAjv } from '../schemas.js';
import type { ErrorDetail } from '../errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch<T extends object>(target: T, patch: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value)) out[key] = mergePatch(isObject(out[key]) ? (out[key] as object) : {}, value);
    else out[key] = value;
  }
  return out as T;
}

/** Top-level fields whose value differs: `{field: {from, to}}` (absent fields are null). */
export function changedFields(before: object, after: object): Record<string, { from: unknown; to: unknown }> {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changes[key] = { from: a[key] ?? null, to: b[key] ?? null };
  }
  return changes;
}

/** A client's answer added to an existing ERP process (kind `opinion`): only these two fields matter. */
const OPINION_REQUEST = {
  $id: 'AdminOpinionRequest',
  type: 'object',
  required: ['processNumber', 'text'],
  properties: { processNumber: { type: 'string', pattern: '^[0-9]{1,8}$' }, text: { type: 'string', minLength: 1, maxLength: 20000 } },
};

let validators: Promise<{ case: ValidateFunction; opinion: ValidateFunction }> | undefined;

async function compile(): Promise<{ case: ValidateFunction; opinion: ValidateFunction }> {
  const ajv = shippedAjv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  for (const { schema } of await loadSchemas('api')) ajv.addSchema(schema);
  const byCase = ajv.getSchema('IntegrationRequest');
  if (!byCase) throw new Error('schemas/api has no IntegrationRequest schema');
  return { case: byCase, opinion: ajv.compile(OPINION_REQUEST) };
}

/** Problems of the merged request against its schema, with paths under `prefix`. */
export async function shapeProblems(kind: 'case' | 'opinion', request: object, prefix: string): Promise<ErrorDetail[]> {
  validators ??= compile();
  const validate = (await validators)[kind];
  if (validate(request)) return [];
  return (validate.errors ?? []).map((e) => {
    const field = [...e.instancePath.split('/').filter(Boolean), e.params?.missingProperty ?? e.params?.additionalProperty].filter(Boolean).join('.');
    const message = e.keyword === 'additionalProperties' ? 'is not an allowed field' : e.message ?? 'is invalid';
    return { path: `${prefix}${field}`, message };
  });
}
