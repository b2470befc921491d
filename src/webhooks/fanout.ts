// The `fanout` job: a domain event (written by emitEvent) becomes one delivery row and one
// `deliver` job (jobId = delivery id) per active subscription listening to its type.

import type { Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import type { DomainEvent } from '../events/emit.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { insertDeliveries } from './store.js';

export interface FanoutJob { event: DomainEvent }

export function fanoutProcessor(deps: Deps, log: Logger) {
  return async (job: Job<FanoutJob>): Promise<number> => {
    const { event } = job.data;
    // Rows and jobs commit together; a rerun finds the rows and adds nothing.
    const ids = await deps.db.tx(async (q) => {
      const created = await insertDeliveries(q, event, event);
      for (const id of created) await enqueue(q, { queue: QUEUES.webhooks, name: 'deliver', jobId: id, payload: { deliveryId: id } });
      return created;
    });
    if (ids.length) {
      deps.relay.kick();
      log.debug({ eventId: event.id, type: event.type, deliveries: ids.length }, 'event fanned out');
    }
    return ids.length;
  };
}
