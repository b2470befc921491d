// Domain events the helpdesk can subscribe to (outbound webhooks). Written in the caller's
// transaction as an outbox job; the webhooks queue fans each one out to its subscriptions.

import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';

export const EVENT_TYPES = [
  'integration.succeeded',
  'integration.failed',
  'integration.dead',
  'return.answered',
  'chat.closed',
  'client.delinquency.changed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface DomainEvent {
  id: string;
  type: EventType;
  occurredAt: string;
  data: Record<string, unknown>;
}

export async function emitEvent(q: Queryable, type: EventType, data: Record<string, unknown>, at = new Date()): Promise<DomainEvent> {
  const event: DomainEvent = { id: `evt_${randomUUID()}`, type, occurredAt: at.toISOString(), data };
  await enqueue(q, { queue: QUEUES.webhooks, name: 'fanout', jobId: event.id, payload: { event } });
  return event;
}
