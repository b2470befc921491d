// The `fanout` job: a domain event (written by emitEvent) becomes one delivery row and one
// `deliver` job (jobId = delivery id) per active subscription listening to its type. The job is
// queued only for an event someone can receive: a subscription or a helpdesk note.

import type { Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import type { DomainEvent } from '../events/emit.js';
import type { Queryable } from '../store/db.js';
import { enqueue, enqueueIfStatement } from '../jobs/outbox.js';
import type { Statement } from '../store/statement.js';
import { QUEUES } from '../jobs/queues.js';
import { insertDeliveries } from './store.js';
import { noteChatOf, noteIntegrationOutcome } from '../helpdesks/notes.js';

export interface FanoutJob { event: DomainEvent }

// Any subscription not deleted counts, disabled ones too: their deliveries are kept (cancelled)
// for a replay. Read in the writing statement itself, so a subscription committed before the
// event is always seen, on every process, with no cache to go stale.
const SOMEONE_RECEIVES = `EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.deleted_at IS NULL AND $6 = ANY(s.events))
  OR EXISTS (SELECT 1 FROM helpdesk_conversations hc WHERE hc.chat_id = $7::uuid)`;

/** Writes the event's fan-out job in the caller's transaction, unless nobody can receive the event. */
export async function queueFanout(q: Queryable, event: DomainEvent): Promise<void> {
  const { text, values } = fanoutStatement(event);
  await q.query(text, values);
}

/** queueFanout as a statement, to be sent together with the change that caused the event. */
export function fanoutStatement(event: DomainEvent): Statement {
  return enqueueIfStatement({ queue: QUEUES.webhooks, name: 'fanout', jobId: event.id, payload: { event } }, SOMEONE_RECEIVES, [event.type, noteChatOf(event)]);
}

export function fanoutProcessor(deps: Deps, log: Logger) {
  return async (job: Job<FanoutJob>): Promise<number> => {
    const { event } = job.data;
    // Rows and jobs commit together; a rerun finds the rows and adds nothing.
    let noted = false;
    const ids = await deps.db.tx(async (q) => {
      const created = await insertDeliveries(q, event, event);
      for (const id of created) await enqueue(q, { queue: QUEUES.webhooks, name: 'deliver', jobId: id, payload: { deliveryId: id } });
      // An integration of a chat that came from a helpdesk: its internal note back (src/helpdesks/notes.ts).
      noted = await noteIntegrationOutcome(q, deps, event);
      return created;
    });
    if (noted) deps.relay.kick();
    if (ids.length) {
      deps.relay.kick();
      log.debug({ eventId: event.id, type: event.type, deliveries: ids.length }, 'event fanned out');
    }
    return ids.length;
  };
}
