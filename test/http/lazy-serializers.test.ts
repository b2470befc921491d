// Answers are serialized with only the shared schemas they reach: what each answer shows is
// the same as with every shared schema given, nested references included.

import { describe, it, expect } from 'vitest';
import Fastify from 'fastify';
import { lazySerializers, referencedBy } from '../../src/http/lazy-compilers.js';

const shared = {
  Money: { $id: 'Money', type: 'object', properties: { cents: { type: 'integer' }, currency: { type: 'string' } } },
  Line: { $id: 'Line', type: 'object', properties: { product: { type: 'string' }, price: { $ref: 'Money#' }, tags: { type: 'array', items: { $ref: 'Tag#/definitions/name' } } } },
  Tag: { $id: 'Tag', definitions: { name: { type: 'string', maxLength: 20 } } },
  Unrelated: { $id: 'Unrelated', type: 'object', properties: { x: { $ref: '#/definitions/y' } }, definitions: { y: { type: 'string' } } },
};

describe('referencedBy', () => {
  it('follows $refs through the shared schemas, and gives up on an id it does not hold', () => {
    const answer = { type: 'object', properties: { lines: { type: 'array', items: { $ref: 'Line#' } } } };
    expect(Object.keys(referencedBy(answer, shared)!).sort()).toEqual(['Line', 'Money', 'Tag']);
    expect(referencedBy({ type: 'string' }, shared)).toEqual({});
    expect(referencedBy({ anyOf: [{ $ref: 'Money#' }, { $ref: 'Elsewhere#' }] }, shared)).toBeUndefined();
  });
});

describe('lazy serializers', () => {
  it('serialize an answer through nested shared schemas, dropping what the schemas do not show', async () => {
    const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: lazySerializers() } } });
    for (const schema of Object.values(shared)) app.addSchema(schema);
    app.get('/order', { schema: { response: { 200: { type: 'object', properties: { lines: { type: 'array', items: { $ref: 'Line#' } } } } } } }, async () => ({
      lines: [{ product: 'Bimer', price: { cents: 1990, currency: 'BRL', internal: 'cost' }, tags: ['erp'], secret: 'not shown' }],
      total: 1,
    }));
    const res = await app.inject('/order');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ lines: [{ product: 'Bimer', price: { cents: 1990, currency: 'BRL' }, tags: ['erp'] }] });
    await app.close();
  });
});
