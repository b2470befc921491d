// The OpenAPI document's shared parts: the answers every route can give because of a plugin
// (auth, validation, rate limit, idempotency, body limits), operation ids, the headers a client
// sends and receives, the security schemes, and outbound webhook events under `webhooks`.

import type { RouteOptions } from 'fastify';
import type { SwaggerOptions } from '@fastify/swagger';
import { EVENT_TYPES } from '../events/emit.js';
import type { SchemaFile } from '../schemas.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
/** Marks set on a route's schema for transformObject, removed from the document. */
const RATE_LIMITED = 'x-ponte-rate-limited';
const IDEMPOTENT = 'x-ponte-idempotent';
const ACTING_AGENT = 'x-ponte-acting-agent';
const REQUEST_BODY = 'x-ponte-request-body';

/**
 * A request body for the document only, on routes that read the raw request themselves (no
 * `body` schema to validate): multipart uploads, signed pushes checked on their exact bytes.
 */
export function documentedBody(content: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return { [REQUEST_BODY]: { required: true, content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])) } };
}

/** A multipart upload's fields, files as binary strings. */
export const multipartBody = (fields: Record<string, unknown>, required: string[] = []) =>
  documentedBody({ 'multipart/form-data': { type: 'object', required, properties: fields } });

/** A file field of a multipart upload (repeat the field for several files). */
export const FILE_FIELD = { type: 'array', items: { type: 'string', format: 'binary' } } as const;

type Schema = Record<string, unknown>;
type Operation = { responses?: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>; parameters?: unknown[]; [key: string]: unknown };

const pascal = (s: string) => s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

/** A camelCase id from method and path, for a route that does not name its own. */
export function deriveOperationId(method: string, url: string): string {
  const segments = url.split('/').filter((s) => s && s !== 'v1');
  const last = segments[segments.length - 1] ?? '';
  const verb = method === 'GET' ? (last.startsWith(':') ? 'get' : 'list') : method.toLowerCase();
  // A parameter in the middle names it (By...), so /x/replay and /x/:id/replay differ.
  const words = segments.map((s, i) => (s.startsWith(':') ? (i < segments.length - 1 ? `By${pascal(s.slice(1))}` : '') : pascal(s))).join('');
  return `${verb}${words || 'Root'}`;
}

/** The route schema key listing the error statuses the shared plugins give a route. */
export const SHARED_ERRORS = 'x-ponte-errors';

/**
 * onRoute: records on a route the error statuses the shared plugins give it (auth, validation,
 * idempotency, body limits, rate limit, 500), so the document and the contract tests see them
 * without every route repeating them. Kept out of `response` on purpose: Fastify would compile
 * one serializer per route and status (with every shared schema), multiplying start time.
 */
export function documentRoute(route: RouteOptions): void {
  const schema = route.schema as Schema | undefined;
  if (!schema || schema.hide) return;
  const methods = [route.method].flat().map(String);
  const method = methods[0] ?? 'GET';
  if (methods.includes('HEAD') && methods.length === 1) return;
  const shared = new Set<number>();
  const add = (...statuses: number[]) => { for (const s of statuses) shared.add(s); };
  const roles = route.config?.roles;
  if (roles?.length) add(401, 403);
  if (schema.body || schema.querystring || schema.params || schema.headers) add(400);
  if (WRITES.has(method)) {
    // Idempotency-Key: 400 when malformed, 409 when reused with another body or still running.
    add(400, 409);
    schema[IDEMPOTENT] = true;
    // X-Agent-Id: the acting agent of an authenticated write (src/http/acting-agent.ts).
    if (roles?.length && !route.config?.readOnly) schema[ACTING_AGENT] = true;
  }
  if (WITH_BODY.has(method)) add(413, 415);
  // Documented whether or not this deployment sets RATE_LIMIT_MAX: the contract is the same.
  const limited = (route.config as { rateLimit?: unknown } | undefined)?.rateLimit !== false;
  if (limited) {
    add(429);
    schema[RATE_LIMITED] = true;
  }
  add(500);
  schema[SHARED_ERRORS] = [...shared].sort();
  if (!roles?.length && schema.security === undefined) schema.security = [];
  schema.operationId ??= deriveOperationId(method, route.url);
}

const HEADERS = {
  'X-Request-Id': { description: 'The request id (the one sent, or a new one); it is in every log line and job of this request.', schema: { type: 'string' } },
  'x-ratelimit-limit': { description: 'Requests allowed per window for this key (or address).', schema: { type: 'integer' } },
  'x-ratelimit-remaining': { description: 'Requests left in the current window.', schema: { type: 'integer' } },
  'x-ratelimit-reset': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
  'idempotent-replayed': { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
};

const PARAMETERS = {
  RequestId: { name: 'X-Request-Id', in: 'header', required: false, description: 'Your correlation id (up to 64 characters); echoed back and carried into jobs and logs.', schema: { type: 'string', maxLength: 64 } },
  IdempotencyKey: {
    name: 'Idempotency-Key', in: 'header', required: false,
    description: 'Repeat a write safely: the same key and body within 24 h gets the first answer again (with `idempotent-replayed: true`); the same key with another body is 409.',
    schema: { type: 'string', minLength: 1, maxLength: 200 },
  },
  AgentId: {
    name: 'X-Agent-Id', in: 'header', required: false,
    description: 'The agent acting in this write (or the body\'s `agentId`, where the route has one; both must name the same agent, else 400 `AGENT_MISMATCH`), or in this read (or `?agentId=`, same rule): the agent\'s profile narrows what the answer shows (private notes, client data), and the access log records the agent. An unknown agent is 400 `UNKNOWN_AGENT`. Required on writes with keys made with `requireAgent` (400 `AGENT_REQUIRED` naming `X-Agent-Id`; multipart uploads name it here). History, timelines and audit then record "agent:<id> via key <key name>".',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' },
  },
};

/** `Name#` (a Fastify shared schema) as the document's `#/components/schemas/Name`. */
function componentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(componentRefs);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) =>
    [k, k === '$ref' && typeof v === 'string' && /^[A-Za-z0-9._-]+#$/.test(v) ? `#/components/schemas/${v.slice(0, -1)}` : componentRefs(v)]));
}

const ref = (kind: 'headers' | 'parameters', name: string) => ({ $ref: `#/components/${kind}/${name}` });

function finishOperation(op: Operation, done: WeakSet<object>): void {
  // One operation object can serve several methods of a route: finish it once.
  if (done.has(op)) return;
  done.add(op);
  const limited = op[RATE_LIMITED] === true;
  const idempotent = op[IDEMPOTENT] === true;
  const acting = op[ACTING_AGENT] === true;
  delete op[RATE_LIMITED];
  delete op[IDEMPOTENT];
  delete op[ACTING_AGENT];
  const responses = (op.responses ??= {});
  for (const status of (op[SHARED_ERRORS] as number[] | undefined) ?? []) {
    responses[status] ??= { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } as never;
  }
  delete op[SHARED_ERRORS];
  if (op[REQUEST_BODY]) op.requestBody = componentRefs(op[REQUEST_BODY]);
  delete op[REQUEST_BODY];
  op.parameters = [...(op.parameters ?? []), ref('parameters', 'RequestId'), ...(idempotent ? [ref('parameters', 'IdempotencyKey')] : []), ...(acting ? [ref('parameters', 'AgentId')] : [])];
  for (const [status, answer] of Object.entries(op.responses ?? {})) {
    // An error is JSON whatever the route's success answer is (an event stream, an HTML preview).
    const media = Object.values(answer.content ?? {});
    if (Number(status) >= 400 && media.length && !answer.content!['application/json']) answer.content = { 'application/json': media[0] };
    const headers: Record<string, unknown> = { ...answer.headers, 'X-Request-Id': ref('headers', 'X-Request-Id') };
    if (limited) for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) headers[h] = ref('headers', h);
    if (status === '429' || status === '503') headers['Retry-After'] = ref('headers', 'Retry-After');
    if (idempotent && status.startsWith('2')) headers['idempotent-replayed'] = ref('headers', 'idempotent-replayed');
    answer.headers = headers;
  }
}

/** The `webhooks` section: one POST per outbound event type, its body the event's schema. */
function webhooks(events: SchemaFile[]): { webhooks: Record<string, unknown>; schemas: Record<string, unknown> } {
  const schemas: Record<string, unknown> = {};
  const byType = new Map<string, string>();
  for (const { schema } of events) {
    const { $id, $schema: _draft, ...body } = schema;
    const type = ((body.properties as Schema | undefined)?.type as { const?: string } | undefined)?.const ?? $id.replace(/^events\//, '');
    const name = `${pascal(type)}Event`;
    schemas[name] = body;
    byType.set(type, name);
  }
  for (const type of EVENT_TYPES) {
    if (byType.has(type)) continue;
    const name = `${pascal(type)}Event`;
    schemas[name] = {
      type: 'object', required: ['id', 'type', 'occurredAt', 'data'],
      properties: { id: { type: 'string' }, type: { const: type }, occurredAt: { type: 'string', format: 'date-time' }, data: { type: 'object', additionalProperties: true } },
    };
    byType.set(type, name);
  }
  const out: Record<string, unknown> = {};
  for (const [type, name] of byType) {
    out[type] = {
      post: {
        operationId: `on${name}`,
        summary: `${type}: POSTed to each subscription, signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)`,
        tags: ['webhooks'],
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } },
        responses: { '2XX': { description: 'Delivered; any other answer (or none within the timeout) is retried with backoff.' } },
      },
    };
  }
  return { webhooks: out, schemas };
}

const DESCRIPTION = `Helpdesk ⇄ Bimer-style ERP gateway.

**Pagination.** Every list takes \`?limit=\` (1–500, default 50) and \`?cursor=\` and answers \`{items, nextCursor}\`; pass \`nextCursor\` back as \`cursor\` for the next page. \`nextCursor\` is \`null\` on the last page. Filters stay the same from page to page.

**Errors.** Every 4xx/5xx answer is \`{error: {code, message, details}}\` (schema \`Error\`): \`code\` is stable, \`details\` name the fields at fault.

**Headers.** \`X-Request-Id\` is accepted and returned on every answer. Writes take \`Idempotency-Key\`; a replayed answer carries \`idempotent-replayed: true\`. Writes name their acting agent with \`X-Agent-Id\` (required on keys made with \`requireAgent\`); reads too (or \`?agentId=\`), and the agent's profile narrows what they show. Rate-limited routes answer \`x-ratelimit-*\` headers and 429 with \`Retry-After\`.`;

/** @fastify/swagger options: OpenAPI 3.1, security schemes, shared headers, webhooks. */
export function swaggerOptions(events: SchemaFile[], version: string): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'ponte', description: DESCRIPTION, version, license: { name: 'UNLICENSED', identifier: 'LicenseRef-UNLICENSED' } },
      servers: [{ url: '/', description: 'This server' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>`; each route names the roles it needs.' },
          portalToken: { type: 'apiKey', in: 'header', name: 'X-Portal-Token', description: "The return's portal token (kept out of access logs)." },
          portalTokenQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'The same token as in the link sent to the client.' },
        },
      },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transformObject: (documentObject) => {
      const doc = (documentObject as { openapiObject: Record<string, unknown> }).openapiObject as {
        paths?: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>>; webhooks?: unknown;
      };
      const done = new WeakSet<object>();
      for (const ops of Object.values(doc.paths ?? {})) for (const op of Object.values(ops)) finishOperation(op, done);
      const section = webhooks(events);
      doc.components.headers = HEADERS;
      doc.components.parameters = PARAMETERS;
      doc.components.schemas = { ...doc.components.schemas, ...section.schemas };
      doc.webhooks = section.webhooks;
      return doc;
    },
  };
}
