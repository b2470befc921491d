// The pending sweep: events kept for clients ponte did not know are applied once it does.
// A BullMQ job scheduler on the webhooks queue runs it every PENDING_SWEEP_MS: one cheap query
// when nothing waits, and no hook needed in every place that creates a chat.

import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import type { ErpFact } from '../domain/erp-event-rules.js';
import { applyFacts, announceChanges } from './apply.js';
import { claimPendingEvents, setOutcomes } from './store.js';

/** How often kept events are checked against the chats that appeared meanwhile. */
export const PENDING_SWEEP_MS = 5_000;
const BATCH = 500;

/** Applies, oldest first, the kept events whose client now has a chat or stored state. */
export async function applyPendingEvents(deps: Deps, log: Logger): Promise<number> {
  let total = 0;
  for (;;) {
    const now = deps.clock.now();
    const { count, changes } = await deps.db.tx(async (q) => {
      const rows = await claimPendingEvents(q, BATCH);
      const applied = await applyFacts(q, rows.map((r) => ({ type: r.type, occurredAt: r.occurred_at, data: r.data }) as ErpFact));
      for (const outcome of ['applied', 'stale'] as const) {
        await setOutcomes(q, rows.filter((_, i) => applied.outcomes[i] === outcome).map((r) => r.id), outcome, now);
      }
      return { count: rows.length, changes: applied.changes };
    });
    await announceChanges(deps, changes);
    total += count;
    if (count < BATCH) break;
  }
  if (total) log.info({ applied: total }, 'kept ERP events applied to clients now known');
  return total;
}
