// Admin routes on integrations: list with filters, one with every attempt, replay (with an
// optional patch), bulk replay by filter, cancel. The rules live in src/admin/.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { adminContext } from '../admin/context.js';
import { parseFilter, type FilterInput } from '../admin/filter.js';
import { integrationDetail, listIntegrations } from '../admin/integration-list.js';
import { cancelIntegration, replayIntegration } from '../admin/replay.js';
import { queueBulkReplay } from '../admin/bulk-replay.js';
import { answers, pageOf } from './answers.js';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
const text = { type: 'string', maxLength: 100 } as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'array', maxItems: 6, items: text, description: 'One or more of pending, running, succeeded, failed, dead, cancelled (repeat or comma-separate).' },
    errorCode: text,
    connector: text,
    chatId: text,
    clientCode: text,
    since: { type: 'string', format: 'date-time', description: 'Created at or after.' },
    until: { type: 'string', format: 'date-time', description: 'Created before.' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    cursor: { type: 'string', maxLength: 500, description: 'nextCursor of the previous page.' },
  },
} as const;

type ListQuery = FilterInput & { limit?: number; cursor?: string };

export async function adminIntegrationRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const config = { roles: ['admin' as const] };
  const tags = ['admin'];
  const ctx = adminContext(deps);

  app.get<{ Querystring: ListQuery }>('/v1/admin/integrations', {
    config,
    schema: { tags, operationId: 'listAdminIntegrations', summary: 'Integrations, newest first, filtered; keyset pages (nextCursor)', querystring: listQuery, response: answers({ 200: pageOf('IntegrationView') }) },
  }, async (request) => {
    const { limit, cursor, ...filter } = request.query;
    return listIntegrations(deps.db, parseFilter(filter), { limit, cursor });
  });

  app.get<{ Params: { id: string } }>('/v1/admin/integrations/:id', {
    config,
    schema: { tags, operationId: 'getAdminIntegration', summary: 'One integration with every attempt (redacted exchanges) and its audit trail', params: idParam, response: answers({ 200: { $ref: 'AdminIntegrationDetail#' } }, 404) },
  }, async (request) => integrationDetail(deps.db, request.params.id));

  app.post<{ Body: { filter: FilterInput } }>('/v1/admin/integrations/replay', {
    config,
    schema: { tags, operationId: 'bulkReplayIntegrations', summary: 'Replay every failed/dead integration matching a filter (queued, in batches)', body: { $ref: 'AdminBulkReplay#' }, response: answers({ 202: { $ref: 'BulkReplayQueued#' } }) },
  }, async (request, reply) => {
    const result = await queueBulkReplay(ctx, request.body.filter, { actor: actorOf(request) });
    return reply.status(202).send(result);
  });

  app.post<{ Params: { id: string }; Body: { patch?: Record<string, unknown> } }>('/v1/admin/integrations/:id/replay', {
    config,
    schema: {
      tags, operationId: 'replayIntegration', summary: 'Replay a failed, dead or cancelled integration, optionally patching its request', params: idParam, body: { $ref: 'AdminReplay#' },
      response: answers({ 202: { $ref: 'IntegrationView#' } }, 404),
    },
    // A plain replay may come without a body at all.
    preValidation: async (request) => {
      request.body ??= {};
    },
  }, async (request, reply) => {
    const view = await replayIntegration(ctx, request.params.id, { actor: actorOf(request), patch: request.body.patch });
    return reply.status(202).send(view);
  });

  app.post<{ Params: { id: string } }>('/v1/admin/integrations/:id/cancel', {
    config,
    schema: { tags, operationId: 'cancelIntegration', summary: 'Cancel a pending, failed or dead integration', params: idParam, response: answers({ 200: { $ref: 'IntegrationView#' } }, 404) },
  }, async (request) => cancelIntegration(ctx, request.params.id, { actor: actorOf(request) }));
}
