// The OpenAPI document as a generator reads it, and the contract check that keeps it true.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { startPonte, type Ponte } from '../support/ponte.js';
import { installContractCheck, takeViolations } from '../support/contract.js';
import { documentRoute } from '../../src/http/openapi.js';
import { operationsWithout2xx } from '../../scripts/openapi-document.js';

type Op = { operationId?: string; security?: unknown[]; parameters?: Array<{ $ref?: string; name?: string; in?: string }>; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: Record<string, unknown> }> }> };

describe('the contract check', () => {
  it('reports an answer with an undocumented status, one that breaks its schema, and a field the serializer would drop', async () => {
    const app = Fastify();
    app.addHook('onRoute', documentRoute);
    app.addSchema({ $id: 'Error', type: 'object', properties: { error: { type: 'object', additionalProperties: true } } });
    const thing = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
    app.get('/teapot', { schema: { response: { 200: thing } } }, async (_req, reply) => reply.status(418 as never).send({ name: 'x' } as never));
    app.get('/nulls', { schema: { response: { 200: thing } } }, async () => ({ name: null }));
    app.get('/extra', { schema: { response: { 200: thing } } }, async () => ({ name: 'a', secret: 'dropped' }));
    app.get('/fine', { schema: { response: { 200: thing } } }, async () => ({ name: 'a' }));
    installContractCheck(app);
    for (const url of ['/teapot', '/nulls', '/extra', '/fine']) await app.inject(url);
    const found = takeViolations();
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/^GET \/teapot 418: status not documented/);
    expect(found.filter((v) => v.startsWith('GET /nulls 200'))).toEqual([
      expect.stringContaining('changed the body at /name'),
      expect.stringContaining('does not match its schema'),
    ]);
    expect(found[3]).toMatch(/^GET \/extra 200: the response schema changed the body at \/secret/);
    await app.close();
  });
});

describe('the OpenAPI document', () => {
  let p: Ponte;
  let doc: { openapi: string; paths: Record<string, Record<string, Op>>; webhooks: Record<string, unknown>; components: Record<string, Record<string, unknown>> };
  const ops = () => Object.entries(doc.paths).flatMap(([url, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ url, method, op })));

  beforeAll(async () => {
    p = await startPonte('embedded', { workers: false, relay: false });
    doc = (await p.app.inject('/docs/json')).json();
  });
  afterAll(async () => {
    await p.close();
  });

  it('is OpenAPI 3.1 with a unique camelCase operationId on every operation', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ids = ops().map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every operation a 2xx answer with its schema', () => {
    expect(operationsWithout2xx(doc)).toEqual([]);
  });

  it('documents the errors every route can give and the headers a client sends and receives', () => {
    const post = doc.paths['/v1/sessions']!.post!;
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '202', '400', '401', '403', '409', '413', '415', '429', '500', '502']));
    expect(post.responses['401']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(post.parameters!.map((x) => x.$ref)).toEqual(expect.arrayContaining(['#/components/parameters/RequestId', '#/components/parameters/IdempotencyKey']));
    expect(Object.keys(post.responses['202']!.headers!)).toEqual(expect.arrayContaining(['X-Request-Id', 'idempotent-replayed', 'x-ratelimit-limit']));
    expect(Object.keys(post.responses['429']!.headers!)).toContain('Retry-After');
  });

  it('leaves the probes public and puts the portal on its token', () => {
    expect(doc.paths['/health']!.get!.security).toEqual([]);
    expect(doc.paths['/ready']!.get!.security).toEqual([]);
    expect(doc.components.securitySchemes).toMatchObject({ portalToken: { type: 'apiKey', in: 'header', name: 'X-Portal-Token' } });
  });

  it('pages lists with limit and cursor into {items, nextCursor}', () => {
    const list = doc.paths['/v1/chats']!.get!;
    expect(list.parameters!.filter((x) => x.in === 'query').map((x) => x.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'status']));
    expect(list.parameters!.map((x) => x.name)).not.toContain('offset');
    const page = list.responses['200']!.content!['application/json']!.schema as { required: string[]; properties: Record<string, unknown> };
    expect(page.required).toEqual(['items', 'nextCursor']);
    expect(page.properties.nextCursor).toEqual({ $ref: '#/components/schemas/NextCursor' });
  });

  it('pages every list: each read answering an array of items takes limit and cursor and answers nextCursor', () => {
    const resolve = (schema: Record<string, unknown> | undefined): Record<string, any> | undefined => {
      const ref = schema?.$ref as string | undefined;
      return ref ? resolve(doc.components.schemas![ref.split('/').pop()!] as Record<string, unknown>) : schema;
    };
    const lists = ops().filter(({ method, op }) => method === 'get' && resolve(op.responses['200']?.content?.['application/json']?.schema)?.properties?.items?.type === 'array');
    expect(lists.length).toBeGreaterThanOrEqual(25);
    const unpaged = lists.filter(({ op }) => {
      const answer = resolve(op.responses['200']!.content!['application/json']!.schema)!;
      const query = new Set(op.parameters!.filter((x) => x.in === 'query').map((x) => x.name));
      return !(query.has('limit') && query.has('cursor') && answer.required?.includes('nextCursor'));
    });
    expect(unpaged.map(({ url }) => url)).toEqual([]);
  });

  it('describes the ERP push as one event or a batch, uploads as multipart with a binary file, and outbound events', () => {
    const push = doc.paths['/v1/erp/events']!.post!.requestBody!.content['application/json']!.schema;
    expect(push).toEqual({ oneOf: [{ $ref: '#/components/schemas/ErpEvent' }, { $ref: '#/components/schemas/ErpEventBatch' }] });
    const upload = doc.paths['/v1/chats/{id}/attachments']!.post!.requestBody!.content['multipart/form-data']!.schema as { properties: { file: unknown } };
    expect(upload.properties.file).toEqual({ type: 'array', items: { type: 'string', format: 'binary' } });
    expect(Object.keys(doc.webhooks)).toEqual(expect.arrayContaining(['integration.succeeded', 'integration.failed', 'integration.dead', 'return.answered', 'chat.closed', 'client.delinquency.changed']));
  });
});
