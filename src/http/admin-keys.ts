// API keys over the admin API: create (secret shown once), list, revoke. Every answer,
// errors included, is declared so the OpenAPI document tells the truth.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import type { Role } from '../auth/api-keys.js';
import { actorOf } from './auth.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../admin/keys.js';
import { answers, EMPTY, listQuery } from './answers.js';

export async function adminKeyRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const config = { roles: ['admin' as const] };
  const tags = ['admin'];

  app.post<{ Body: { name: string; roles: Role[]; profileId?: string; requireAgent?: boolean } }>('/v1/admin/keys', {
    config,
    schema: {
      tags, operationId: 'createApiKey',
      summary: 'Create an API key; the secret is returned once',
      body: { $ref: 'AdminKeyCreate#' },
      response: answers({ 201: { $ref: 'AdminKeyCreated#' } }, 409),
    },
  }, async (request, reply) => {
    const { key, secret } = await createApiKey(deps.db, request.body, { actor: actorOf(request) });
    return reply.status(201).send({ ...key, secret });
  });

  app.get<{ Querystring: { limit?: number; cursor?: string } }>('/v1/admin/keys', {
    config,
    schema: {
      tags, operationId: 'listApiKeys',
      summary: 'API keys by name, revoked ones with revokedAt; never a secret',
      querystring: listQuery(),
      response: answers({ 200: { $ref: 'AdminKeyList#' } }),
    },
  }, async (request) => listApiKeys(deps.db, request.query));

  app.delete<{ Params: { name: string } }>('/v1/admin/keys/:name', {
    config,
    schema: {
      tags, operationId: 'revokeApiKey',
      summary: 'Revoke the key of that name: refused at once, and still after a restart with the same PONTE_API_KEYS (404 when no active key has that name)',
      params: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 } } },
      response: answers({ 204: EMPTY }, 404),
    },
  }, async (request, reply) => {
    await revokeApiKey(deps.db, request.params.name, { actor: actorOf(request), now: deps.clock.now() });
    return reply.status(204).send();
  });
}
