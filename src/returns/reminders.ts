// Telling agents about their returns: when a return's next action comes (seed 003 "Próxima
// Ação": a delayed job at that instant emits `return.next_action_due` to webhooks and to the
// responsible agent's feed), and when a return is delegated to them (`return.delegated`).

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { emitEvent } from '../events/emit.js';
import { formatSaoPaulo } from '../domain/sao-paulo-time.js';
import { agentTopic } from '../chats/chat-change.js';
import { getReturn, type ReturnRow } from './store.js';
import { insertEntry } from './timeline.js';

export const NEXT_ACTION_JOB = 'next-action-due';
export interface NextActionDue { returnId: string; at: string; hop?: number }

/**
 * A timer waits at most this long (the outbox keeps delays as 32-bit milliseconds); a next
 * action further ahead is reached in hops, each timer setting the next.
 */
export const MAX_TIMER_DELAY_MS = 20 * 24 * 3600 * 1000;

/** A message for one agent's feed, published once the change committed. */
export interface FeedNote { agentId: string; type: string; data: Record<string, unknown> }

export async function publishFeedNotes(deps: Deps, notes: FeedNote[]): Promise<void> {
  for (const n of notes) {
    await deps.live.publish(agentTopic(n.agentId), n.type, n.data).catch((err) => deps.log.warn({ err, agentId: n.agentId, type: n.type }, 'agent feed event not published'));
  }
}

/** Sets the reminder for the return's next action (a later change makes this one stale). */
export async function scheduleNextAction(q: Queryable, returnId: string, at: Date, now: Date, hop = 0): Promise<void> {
  const job: NextActionDue = { returnId, at: at.toISOString(), ...(hop ? { hop } : {}) };
  const delayMs = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, at.getTime() - now.getTime()));
  await enqueue(q, { queue: QUEUES.timers, name: NEXT_ACTION_JOB, jobId: `next-action:${returnId}:${at.getTime()}${hop ? `:${hop}` : ''}`, payload: { ...job }, delayMs });
}

const reminderData = (r: ReturnRow) => ({
  returnId: r.id, subject: r.subject, status: r.status, nextActionAt: r.next_action_at?.toISOString() ?? null, responsibleUserId: r.responsible_user_id,
  clientEmail: r.client_email, clientCode: r.client_code,
});

/** Timer job: the next action is due, unless the return was closed or given another date since. */
export async function nextActionCame(deps: Deps, job: NextActionDue): Promise<'due' | 'stale' | 'waiting'> {
  const now = deps.clock.now();
  let waiting = false;
  const row = await deps.db.tx(async (q) => {
    const r = await getReturn(q, job.returnId, true);
    if (!r || r.status === 'closed' || r.next_action_at?.toISOString() !== job.at) return undefined;
    if (r.next_action_at.getTime() > now.getTime()) {
      await scheduleNextAction(q, r.id, r.next_action_at, now, (job.hop ?? 0) + 1);
      waiting = true;
      return undefined;
    }
    await insertEntry(q, r.id, { kind: 'event', authorKind: 'system', event: 'next_action_due', text: `Próxima ação prevista para ${formatSaoPaulo(r.next_action_at)} (horário de Brasília)`, visibleToClient: false, data: { nextActionAt: job.at }, at: now });
    await emitEvent(q, 'return.next_action_due', reminderData(r), now);
    return r;
  });
  if (waiting) deps.relay.kick();
  if (!row) return waiting ? 'waiting' : 'stale';
  deps.relay.kick();
  if (row.responsible_user_id) await publishFeedNotes(deps, [{ agentId: row.responsible_user_id, type: 'return.next_action_due', data: reminderData(row) }]);
  return 'due';
}

/** Whether `actor` ("agent:ana via key desk") is that agent: nobody is told of their own move. */
const actsAs = (actor: string, agentId: string) => actor.startsWith(`agent:${agentId} `);

/**
 * The responsible user changed to someone: the timeline records it, the helpdesk hears
 * `return.delegated`, and the new responsible's feed is told (after commit).
 */
export async function recordDelegation(q: Queryable, before: Pick<ReturnRow, 'responsible_user_id'> | null, after: ReturnRow, actor: string, at: Date): Promise<FeedNote[]> {
  const to = after.responsible_user_id;
  if (!to || to === before?.responsible_user_id || actsAs(actor, to)) return [];
  const data = { ...reminderData(after), previousResponsibleUserId: before?.responsible_user_id ?? null, delegatedBy: actor };
  await insertEntry(q, after.id, { kind: 'event', authorKind: 'agent', author: actor, event: 'delegated', text: `Retorno delegado a ${to}`, visibleToClient: false, data: { responsibleUserId: to, previousResponsibleUserId: data.previousResponsibleUserId }, at });
  await emitEvent(q, 'return.delegated', data, at);
  return [{ agentId: to, type: 'return.delegated', data }];
}
