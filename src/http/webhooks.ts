// Webhooks both ways: admin routes for outbound subscriptions, their deliveries and replays;
// and, as an encapsulated child plugin, the ERP's signed pushes (src/http/erp-events.ts).

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { erpEventRoutes } from './erp-events.js';
import {
  createSubscription, delivery, deliveriesOf, removeSubscription, replayDelivery, setSubscriptionEnabled, subscription, subscriptions, type SubscriptionInput,
} from '../webhooks/subscriptions.js';
import { queueDeliveryReplay, type DeliveryFilter } from '../webhooks/bulk-replay.js';
import { answers, EMPTY, listQuery, pageOf, SHORT_LIST, type ListQuery } from './answers.js';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
const error = { $ref: 'Error#' };
const deliveryParam = { type: 'object', required: ['deliveryId'], properties: { deliveryId: { type: 'string', maxLength: 100 } } } as const;
const deliveryFilter = listQuery({ status: { enum: ['pending', 'retrying', 'delivered', 'failed', 'cancelled'] } });
const webhook = { $ref: 'WebhookView#' };
const deliveryAnswer = { $ref: 'WebhookDeliveryView#' };

export async function webhookRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const config = { roles: ['admin' as const] };
  const tags = ['webhooks'];

  app.post<{ Body: SubscriptionInput }>('/v1/webhooks', {
    config,
    schema: { tags, operationId: 'createWebhook', summary: 'Subscribe a URL to domain events (the secret is shown only in this answer)', body: { $ref: 'WebhookSubscription#' }, response: answers({ 201: webhook }) },
  }, async (request, reply) => reply.status(201).send(await createSubscription(deps, request.body, actorOf(request))));

  app.get<{ Querystring: ListQuery }>('/v1/webhooks', {
    config,
    schema: { tags, operationId: 'listWebhooks', summary: 'Webhook subscriptions, oldest first (without secrets)', querystring: listQuery({}, SHORT_LIST), response: answers({ 200: pageOf('WebhookView') }) },
  }, async (request) => subscriptions(deps, request.query));

  app.get<{ Params: { id: string } }>('/v1/webhooks/:id', {
    config,
    schema: { tags, operationId: 'getWebhook', summary: 'One webhook subscription, with why it was disabled if it was', params: idParam, response: answers({ 200: webhook }, 404) },
  }, async (request) => subscription(deps, request.params.id));

  app.delete<{ Params: { id: string } }>('/v1/webhooks/:id', {
    config,
    schema: { tags, operationId: 'deleteWebhook', summary: 'Delete a subscription; its pending deliveries are cancelled', params: idParam, response: answers({ 204: EMPTY }, 404) },
  }, async (request, reply) => {
    await removeSubscription(deps, request.params.id, actorOf(request));
    return reply.status(204).send();
  });

  app.patch<{ Params: { id: string }; Body: { enabled: boolean } }>('/v1/webhooks/:id', {
    config,
    schema: {
      tags,
      summary: 'Enable a subscription again (or disable it); audited',
      params: idParam,
      body: { $ref: 'WebhookPatch#' },
      response: { 200: { $ref: 'WebhookAnswers#/definitions/subscription' }, 400: error, 401: error, 403: error, 404: error },
    },
  }, async (request) => setSubscriptionEnabled(deps, request.params.id, request.body.enabled, actorOf(request)));

  app.post<{ Params: { id: string }; Body: DeliveryFilter }>('/v1/webhooks/:id/deliveries/replay', {
    config,
    schema: {
      tags,
      summary: "Replay a subscription's failed deliveries and those it missed while disabled, in bulk (one job, in batches)",
      params: idParam,
      body: { $ref: 'WebhookDeliveriesReplay#' },
      response: { 202: { $ref: 'WebhookAnswers#/definitions/bulkReplay' }, 400: error, 401: error, 403: error, 404: error, 409: error },
    },
    preValidation: async (request) => {
      request.body ??= {};
    },
  }, async (request, reply) => reply.status(202).send(await queueDeliveryReplay(deps, request.params.id, request.body, actorOf(request))));

  app.get<{ Params: { id: string }; Querystring: { status?: string; limit?: number; cursor?: string } }>('/v1/webhooks/:id/deliveries', {
    config,
    schema: {
      tags, operationId: 'listWebhookDeliveries', summary: "A subscription's deliveries, newest first", params: idParam, querystring: deliveryFilter,
      response: answers({ 200: pageOf('WebhookDeliveryView') }, 404),
    },
  }, async (request) => deliveriesOf(deps, request.params.id, request.query));

  app.get<{ Params: { deliveryId: string } }>('/v1/webhooks/deliveries/:deliveryId', {
    config,
    schema: { tags, operationId: 'getWebhookDelivery', summary: 'One delivery with its event and every attempt', params: deliveryParam, response: answers({ 200: deliveryAnswer }, 404) },
  }, async (request) => delivery(deps, request.params.deliveryId));

  app.post<{ Params: { deliveryId: string } }>('/v1/webhooks/deliveries/:deliveryId/replay', {
    config,
    schema: { tags, operationId: 'replayWebhookDelivery', summary: 'Deliver again (same event and webhook-id); audited', params: deliveryParam, response: answers({ 202: deliveryAnswer }, 404) },
  }, async (request, reply) => reply.status(202).send(await replayDelivery(deps, request.params.deliveryId, actorOf(request))));

  await app.register(erpEventRoutes, { deps });
}
