// Domain events the helpdesk can subscribe to (outbound webhooks). Written in the caller's
// transaction as an outbox job (when anyone receives it); the webhooks queue fans each one out.

import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { queueFanout } from '../webhooks/fanout.js';

export const EVENT_TYPES = [
  'integration.succeeded',
  'integration.failed',
  'integration.dead',
  'return.answered',
  'return.next_action_due',
  'return.delegated',
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
  await queueFanout(q, event);
  return event;
}
