// Contract check (test-only): every answer a test receives from ponte is checked against the
// schema its route documents for that status, so the OpenAPI document cannot drift. Installed
// by startPonte; violations are collected and test/support/contract-setup.ts fails the file.

import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SHARED_ERRORS } from '../../src/http/openapi.js';

const violations: string[] = [];

/** The violations seen so far in this test file, emptied. */
export function takeViolations(): string[] {
  return violations.splice(0);
}

type Responses = Record<string, Record<string, unknown>>;

const ERROR = { $ref: 'Error#' };

/**
 * The documented answer for a status: exact, then `2XX`-style, then `default`, then the errors
 * the shared plugins give this route (documented by src/http/openapi.ts).
 */
function documented(responses: Responses, shared: number[], status: number): Record<string, unknown> | undefined {
  const range = `${String(status)[0]}XX`;
  return responses[status] ?? responses[range] ?? responses[range.toLowerCase()] ?? responses.default ?? (shared.includes(status) ? ERROR : undefined);
}

/** The JSON schema of a documented answer for this content type (`content` form or plain). */
function bodySchema(answer: Record<string, unknown>, contentType: string): Record<string, unknown> | undefined {
  const content = answer.content as Record<string, { schema?: Record<string, unknown> }> | undefined;
  if (!content) return answer;
  const media = contentType.split(';')[0]!.trim();
  return content[media]?.schema ?? Object.values(content)[0]?.schema;
}

/** Where two JSON values first differ, as a path. */
function firstDifference(a: unknown, b: unknown, at = ''): string {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = (a as Record<string, unknown>)[key];
      const y = (b as Record<string, unknown>)[key];
      if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${at}/${key}`);
    }
  }
  return `${at || '/'} (${JSON.stringify(a)?.slice(0, 80)} became ${JSON.stringify(b)?.slice(0, 80)})`;
}

export function installContractCheck(app: FastifyInstance): void {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  let schemasAdded = false;
  const compiled = new WeakMap<object, ValidateFunction>();
  const raw = new WeakMap<FastifyRequest, unknown>();
  const validatorOf = (schema: Record<string, unknown>): ValidateFunction => {
    if (!schemasAdded) {
      for (const s of Object.values(app.getSchemas())) if (!ajv.getSchema((s as { $id: string }).$id)) ajv.addSchema(s as object);
      schemasAdded = true;
    }
    let v = compiled.get(schema);
    if (!v) compiled.set(schema, (v = ajv.compile({ ...schema, $id: undefined })));
    return v;
  };

  app.addHook('preSerialization', async (request, _reply, payload) => {
    raw.set(request, JSON.parse(JSON.stringify(payload ?? null)));
    return payload;
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    const route = request.routeOptions;
    const schema = route.schema as { hide?: boolean; response?: Responses; [SHARED_ERRORS]?: number[] } | undefined;
    if (!route.url || !schema || schema.hide) return payload;
    const responses = schema.response ?? {};
    // A route that documents no success at all is reported by the document test instead.
    if (!Object.keys(responses).some((s) => /^[23]/.test(s))) return payload;
    const where = `${request.method} ${route.url} ${reply.statusCode}`;
    const shared = schema[SHARED_ERRORS] ?? [];
    const answer = documented(responses, shared, reply.statusCode);
    if (!answer) {
      violations.push(`${where}: status not documented (documented: ${[...Object.keys(responses), ...shared].join(', ')})`);
      return payload;
    }
    const contentType = String(reply.getHeader('content-type') ?? '');
    if (!contentType.includes('json') || typeof payload !== 'string') return payload;
    const sent = JSON.parse(payload) as unknown;
    const before = raw.get(request);
    if (raw.has(request) && !isDeepStrictEqual(before, sent)) {
      violations.push(`${where}: the response schema changed the body at ${firstDifference(before, sent)}`);
    }
    const body = bodySchema(answer, contentType);
    if (!body) return payload;
    const validate = validatorOf(body);
    if (!validate(raw.has(request) ? before : sent)) {
      const issues = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
      violations.push(`${where}: answer does not match its schema: ${issues}`);
    }
    return payload;
  });
}
