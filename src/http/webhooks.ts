// Webhooks both ways: admin routes for outbound subscriptions, their deliveries and replays;
// and, as an encapsulated child plugin, the ERP's signed pushes (src/http/erp-events.ts).

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { erpEventRoutes } from './erp-events.js';
import {
  createSubscription, delivery, deliveriesOf, removeSubscription, replayDelivery, subscription, subscriptions, type SubscriptionInput,
} from '../webhooks/subscriptions.js';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
const deliveryParam = { type: 'object', required: ['deliveryId'], properties: { deliveryId: { type: 'string', maxLength: 100 } } } as const;
const deliveryFilter = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: ['pending', 'retrying', 'delivered', 'failed', 'cancelled'] },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
} as const;

export async function webhookRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const config = { roles: ['admin' as const] };
  const tags = ['webhooks'];

  app.post<{ Body: SubscriptionInput }>('/v1/webhooks', {
    config,
    schema: { tags, summary: 'Subscribe a URL to domain events (the secret is shown only in this answer)', body: { $ref: 'WebhookSubscription#' } },
  }, async (request, reply) => reply.status(201).send(await createSubscription(deps, request.body, actorOf(request))));

  app.get('/v1/webhooks', { config, schema: { tags, summary: 'Webhook subscriptions (without secrets)' } }, async () => ({ items: await subscriptions(deps) }));

  app.get<{ Params: { id: string } }>('/v1/webhooks/:id', {
    config,
    schema: { tags, summary: 'One webhook subscription, with why it was disabled if it was', params: idParam },
  }, async (request) => subscription(deps, request.params.id));

  app.delete<{ Params: { id: string } }>('/v1/webhooks/:id', {
    config,
    schema: { tags, summary: 'Delete a subscription; its pending deliveries are cancelled', params: idParam },
  }, async (request, reply) => {
    await removeSubscription(deps, request.params.id, actorOf(request));
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string }; Querystring: { status?: string; limit: number } }>('/v1/webhooks/:id/deliveries', {
    config,
    schema: { tags, summary: "A subscription's deliveries, newest first", params: idParam, querystring: deliveryFilter },
  }, async (request) => ({ items: await deliveriesOf(deps, request.params.id, request.query) }));

  app.get<{ Params: { deliveryId: string } }>('/v1/webhooks/deliveries/:deliveryId', {
    config,
    schema: { tags, summary: 'One delivery with its event and every attempt', params: deliveryParam },
  }, async (request) => delivery(deps, request.params.deliveryId));

  app.post<{ Params: { deliveryId: string } }>('/v1/webhooks/deliveries/:deliveryId/replay', {
    config,
    schema: { tags, summary: 'Deliver again (same event and webhook-id); audited', params: deliveryParam },
  }, async (request, reply) => reply.status(202).send(await replayDelivery(deps, request.params.deliveryId, actorOf(request))));

  await app.register(erpEventRoutes, { deps });
}
