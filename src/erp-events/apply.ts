// Applies ERP facts to the client state inside the caller's transaction, a whole batch in a
// few statements, and announces delinquency changes: domain events now (outbound webhooks),
// live events after commit.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { emitEvent } from '../events/emit.js';
import type { ErpFact } from '../domain/erp-event-rules.js';
import { planFacts, type MarkerChange } from '../domain/erp-event-plan.js';
import { lockMarkers, lockVersions, openChatsOf, writeMarkers, writeVersions } from './store.js';

export type { MarkerChange };

export interface Applied {
  /** Per fact, in the order given. */
  outcomes: Array<'applied' | 'stale'>;
  changes: MarkerChange[];
}

/** Facts are applied in the order given; `occurredAt` must be canonical (canonicalInstant). */
export async function applyFacts(q: Queryable, facts: ErpFact[]): Promise<Applied> {
  if (facts.length === 0) return { outcomes: [], changes: [] };
  const codesOf = (type: ErpFact['type']) => [...new Set(facts.filter((f) => f.type === type).map((f) => f.data.clientCode))].sort();
  const plan = planFacts(facts, await lockMarkers(q, codesOf('delinquency.updated')), await lockVersions(q, codesOf('product-versions.updated')));
  const written = await writeMarkers(q, plan.markers);
  await writeVersions(q, plan.versions.values());
  // A client first seen by a concurrent push that committed a newer marker: ours lost the race.
  const lost = new Set([...plan.markers.keys()].filter((code) => !written.has(code)));
  const outcomes = facts.map((f, i) => (lost.has(f.data.clientCode) && f.type === 'delinquency.updated' ? 'stale' : plan.outcomes[i]!));
  const changes = plan.changes.filter((c) => !lost.has(c.clientCode));
  for (const c of changes) await emitEvent(q, 'client.delinquency.changed', { clientCode: c.clientCode, ...c.marker, occurredAt: c.occurredAt });
  return { outcomes, changes };
}

/**
 * After commit: queue the fan-out of the domain events, and show each client's latest change
 * at once on its open chats (live events travel through the job backend to every process).
 */
export async function announceChanges(deps: Deps, changes: MarkerChange[]): Promise<void> {
  if (changes.length === 0) return;
  deps.relay.kick();
  const latest = new Map(changes.map((c) => [c.clientCode, c]));
  const chats = await openChatsOf(deps.db, [...latest.keys()]);
  await Promise.all(
    chats.map(async (chat) => {
      const change = latest.get(chat.client_code)!;
      await deps.live
        .publish(`chat:${chat.id}`, 'delinquency', { chatId: chat.id, clientCode: change.clientCode, ...change.marker, occurredAt: change.occurredAt })
        .catch((err) => deps.log.warn({ err, chatId: chat.id }, 'delinquency live event not published'));
    }),
  );
}
