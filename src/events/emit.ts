// Domain events the helpdesk can subscribe to (outbound webhooks). Written in the caller's
// transaction as an outbox job (when anyone receives it); the webhooks queue fans each one out.

import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { fanoutStatement, queueFanout } from '../webhooks/fanout.js';
import type { Statement } from '../store/statement.js';

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
  const event = newEvent(type, data, at);
  await queueFanout(q, event);
  return event;
}

/** The event and the statement that writes its fan-out job, to be sent with the change itself. */
export function eventStatement(type: EventType, data: Record<string, unknown>, at = new Date()): Statement {
  return fanoutStatement(newEvent(type, data, at));
}

function newEvent(type: EventType, data: Record<string, unknown>, at: Date): DomainEvent {
  return { id: `evt_${randomUUID()}`, type, occurredAt: at.toISOString(), data };
}
