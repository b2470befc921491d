// Admin routes of helpdesk adapters: deliveries received (replay of a lost one), notes back
// (with attempts), replay.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { helpdeskDeliveries, helpdeskNote, helpdeskNotes, replayDelivery, replayNote, type ListQuery } from '../helpdesks/admin.js';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
const list = (statuses: string[], extra: Record<string, unknown> = {}) => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    helpdesk: { type: 'string', maxLength: 40 },
    status: { enum: statuses },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    cursor: { type: 'string', maxLength: 500 },
    ...extra,
  },
});
const errors = { 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' } };
const page = (item: Record<string, unknown>) => ({ type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } } });
const delivery = {
  type: 'object',
  properties: {
    id: { type: 'string' }, helpdesk: { type: 'string' }, deliveryId: { type: 'string' }, externalId: { type: 'string' },
    status: { enum: ['completing', 'ingested', 'existing'] }, chatId: { type: ['string', 'null'] }, attempts: { type: 'integer' }, replays: { type: 'integer' },
    lastError: { type: ['string', 'null'] }, completionError: { type: ['string', 'null'], description: 'Set when the chat was written without the full message list.' },
    receivedAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' },
  },
};
const note = {
  type: 'object',
  properties: {
    id: { type: 'string' }, helpdesk: { type: 'string' }, chatId: { type: ['string', 'null'] }, integrationId: { type: ['string', 'null'] },
    kind: { enum: ['integration.succeeded', 'integration.failed', 'integration.dead', 'integration.missing'] }, text: { type: 'string' },
    status: { enum: ['pending', 'retrying', 'delivered', 'failed', 'cancelled'] }, attempts: { type: 'integer' }, replays: { type: 'integer' },
    nextAttemptAt: { type: ['string', 'null'], format: 'date-time' }, lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' }, deliveredAt: { type: ['string', 'null'], format: 'date-time' },
  },
};
const attempt = {
  type: 'object',
  properties: {
    attempt: { type: 'integer' }, replay: { type: 'integer' }, startedAt: { type: 'string', format: 'date-time' }, durationMs: { type: 'integer' },
    statusCode: { type: ['integer', 'null'] }, responseExcerpt: { type: ['string', 'null'] }, errorCode: { type: ['string', 'null'] },
    errorMessage: { type: ['string', 'null'] }, outcome: { enum: ['delivered', 'found', 'retrying', 'failed'] },
  },
};

export async function helpdeskAdminRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const config = { roles: ['admin' as const] };
  const tags = ['helpdesks'];

  app.get<{ Querystring: ListQuery }>('/v1/admin/helpdesk-deliveries', {
    config,
    schema: { tags, summary: 'Helpdesk deliveries received, newest first', querystring: list(['completing', 'ingested', 'existing']), response: { 200: page(delivery), ...errors } },
  }, async (request) => helpdeskDeliveries(deps, request.query));

  app.post<{ Params: { id: string } }>('/v1/admin/helpdesk-deliveries/:id/replay', {
    config,
    schema: {
      tags, summary: 'Read the message list again for a delivery still completing whose job was lost; audited',
      description: '409 DELIVERY_IN_PROGRESS while its job is still queued, delayed or running; 409 DELIVERY_FINISHED once its chat is written.',
      params: idParam, response: { 202: delivery, 404: { $ref: 'Error#' }, 409: { $ref: 'Error#' }, ...errors },
    },
  }, async (request, reply) => reply.status(202).send(await replayDelivery(deps, request.params.id, actorOf(request))));

  app.get<{ Querystring: ListQuery }>('/v1/admin/helpdesk-notes', {
    config,
    schema: {
      tags, summary: 'Internal notes added back to helpdesk conversations, newest first',
      querystring: list(['pending', 'retrying', 'delivered', 'failed', 'cancelled'], { chatId: { type: 'string', maxLength: 100 } }),
      response: { 200: page(note), ...errors },
    },
  }, async (request) => helpdeskNotes(deps, request.query));

  app.get<{ Params: { id: string } }>('/v1/admin/helpdesk-notes/:id', {
    config,
    schema: {
      tags, summary: 'One note with every attempt', params: idParam,
      response: { 200: { ...note, properties: { ...note.properties, attemptsLog: { type: 'array', items: attempt } } }, 404: { $ref: 'Error#' }, ...errors },
    },
  }, async (request) => helpdeskNote(deps, request.params.id));

  app.post<{ Params: { id: string } }>('/v1/admin/helpdesk-notes/:id/replay', {
    config,
    schema: { tags, summary: 'Post the note again (same text); audited', params: idParam, response: { 202: note, 404: { $ref: 'Error#' }, 409: { $ref: 'Error#' }, ...errors } },
  }, async (request, reply) => reply.status(202).send(await replayNote(deps, request.params.id, actorOf(request))));
}
