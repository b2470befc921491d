// Webhook subscriptions for admins: create (secret generated when not given, shown once),
// list, read, delete; deliveries of a subscription and replay of one delivery. All audited.

import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import type { PageRequest } from '../store/keyset.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { assertDestination } from './destination.js';
import {
  deleteSubscription, deliveryView, disableSubscription, enableSubscription, getDelivery, getSubscription, insertSubscription, listAttempts, listDeliveries,
  listSubscriptions, subscriptionView, updateDelivery,
} from './store.js';

export interface SubscriptionInput { url: string; events: string[]; secret?: string }

async function audit(q: Queryable, actor: string, action: string, targetType: string, targetId: string, changes: Record<string, unknown>): Promise<void> {
  await q.query('INSERT INTO audit_events (actor, action, target_type, target_id, changes) VALUES ($1, $2, $3, $4, $5)', [actor, action, targetType, targetId, JSON.stringify(changes)]);
}

/** A Standard Webhooks secret: whsec_ + 24 random bytes in base64. */
export function generateSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export async function createSubscription(deps: Deps, input: SubscriptionInput, actor: string): Promise<Record<string, unknown>> {
  const url = await assertDestination(input.url, deps.config.webhookAllowPrivate, undefined, deps.config.webhookAllowPorts);
  const secret = input.secret ?? generateSecret();
  const row = await deps.db.tx(async (q) => {
    // Sealed with PONTE_SECRET_KEY: the secret is never at rest in clear.
    const created = await insertSubscription(q, { url: url.toString(), events: input.events, secret: deps.keyring.seal(secret), createdBy: actor });
    await audit(q, actor, 'webhook.created', 'webhook', created.id, { url: created.url, events: created.events, secretGenerated: !input.secret });
    return created;
  });
  deps.log.info({ subscriptionId: row.id, events: row.events }, 'webhook subscription created');
  return { ...subscriptionView(row), secret };
}

export async function subscriptions(deps: Deps, page: PageRequest): Promise<{ items: Array<Record<string, unknown>>; nextCursor: string | null }> {
  const { rows, nextCursor } = await listSubscriptions(deps.db, page);
  return { items: rows.map(subscriptionView), nextCursor };
}

export async function subscription(deps: Deps, id: string): Promise<Record<string, unknown>> {
  const row = await getSubscription(deps.db, id);
  if (!row) throw new NotFoundError('webhook', id);
  return subscriptionView(row);
}

/** `PATCH /v1/webhooks/:id {enabled}`: enabling clears the failure streak and its reason; audited. */
export async function setSubscriptionEnabled(deps: Deps, id: string, enabled: boolean, actor: string): Promise<Record<string, unknown>> {
  const row = await deps.db.tx(async (q) => {
    const found = await getSubscription(q, id, true);
    if (!found) throw new NotFoundError('webhook', id);
    if (enabled) await enableSubscription(q, id);
    else await disableSubscription(q, id, `disabled by ${actor}`, deps.clock.now());
    await audit(q, actor, enabled ? 'webhook.enabled' : 'webhook.disabled', 'webhook', id, { fromStatus: found.status, disabledReason: found.disabled_reason });
    return (await getSubscription(q, id))!;
  });
  return subscriptionView(row);
}

export async function removeSubscription(deps: Deps, id: string, actor: string): Promise<void> {
  await deps.db.tx(async (q) => {
    if (!(await deleteSubscription(q, id))) throw new NotFoundError('webhook', id);
    await audit(q, actor, 'webhook.deleted', 'webhook', id, {});
  });
}

export async function deliveriesOf(
  deps: Deps, id: string, filter: { status?: string; limit?: number; cursor?: string },
): Promise<{ items: Array<Record<string, unknown>>; nextCursor: string | null }> {
  if (!(await getSubscription(deps.db, id))) throw new NotFoundError('webhook', id);
  const { rows, nextCursor } = await listDeliveries(deps.db, id, filter);
  return { items: rows.map(deliveryView), nextCursor };
}

export async function delivery(deps: Deps, deliveryId: string): Promise<Record<string, unknown>> {
  const row = await getDelivery(deps.db, deliveryId);
  if (!row) throw new NotFoundError('webhook delivery', deliveryId);
  return { ...deliveryView(row), event: row.payload, attemptsLog: await listAttempts(deps.db, row.id) };
}

/** Sends the delivery again (same event, same webhook-id) as a new job; audited. */
export async function replayDelivery(deps: Deps, deliveryId: string, actor: string): Promise<Record<string, unknown>> {
  const row = await deps.db.tx(async (q) => {
    const found = await getDelivery(q, deliveryId, true);
    if (!found) throw new NotFoundError('webhook delivery', deliveryId);
    const sub = await getSubscription(q, found.subscription_id);
    if (!sub) throw new ConflictError('WEBHOOK_DELETED', 'the subscription of this delivery was deleted; nothing to replay to');
    if (sub.status !== 'active') throw new ConflictError('WEBHOOK_DISABLED', `the subscription is disabled (${sub.disabled_reason ?? 'no reason'}); enable it with PATCH /v1/webhooks/${sub.id} {"enabled": true} to resume deliveries`);
    if (found.status === 'pending' || found.status === 'retrying') throw new ConflictError('DELIVERY_IN_PROGRESS', `delivery is ${found.status}; wait for it to finish before replaying`);
    const replays = found.replays + 1;
    await updateDelivery(q, found.id, { status: 'pending', replays, next_attempt_at: null });
    await enqueue(q, { queue: QUEUES.webhooks, name: 'deliver', jobId: `${found.id}.replay-${replays}`, payload: { deliveryId: found.id } });
    await audit(q, actor, 'webhook.delivery.replayed', 'webhook_delivery', found.id, { replay: replays, previousStatus: found.status });
    return { ...found, status: 'pending' as const, replays };
  });
  deps.relay.kick();
  return deliveryView(row);
}
