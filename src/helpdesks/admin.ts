// What admins see of helpdesk adapters: the deliveries received (and whether their chat was
// written with its full message list) and the notes back with every attempt; a failed note
// is replayed like a webhook delivery, and a delivery whose message-list job was lost is
// replayed too, both audited.

import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { noteJobId } from './notes.js';
import { completeJobId } from './completion.js';
import { getDelivery, updateDelivery, getNote, listDeliveries, listNoteAttempts, listNotes, updateNote, type DeliveryRow, type NoteRow, type Page } from './store.js';

function deliveryView(r: DeliveryRow): Record<string, unknown> {
  return {
    id: r.id, helpdesk: r.helpdesk, deliveryId: r.delivery_id, externalId: r.external_id, status: r.status, chatId: r.chat_id,
    attempts: r.attempts, replays: r.replays, lastError: r.last_error, completionError: r.completion_error, receivedAt: r.received_at, updatedAt: r.updated_at,
  };
}

function noteView(r: NoteRow): Record<string, unknown> {
  return {
    id: r.id, helpdesk: r.helpdesk, chatId: r.chat_id, integrationId: r.integration_id, kind: r.kind, text: r.text, status: r.status,
    attempts: r.attempts, replays: r.replays, nextAttemptAt: r.next_attempt_at, lastError: r.last_error,
    createdAt: r.created_at, updatedAt: r.updated_at, deliveredAt: r.delivered_at,
  };
}

const mapPage = <T>(page: Page<T>, view: (r: T) => Record<string, unknown>) => ({ items: page.items.map(view), nextCursor: page.nextCursor });

export interface ListQuery { helpdesk?: string; status?: string; chatId?: string; limit?: number; cursor?: string }

export async function helpdeskDeliveries(deps: Deps, query: ListQuery) {
  return mapPage(await listDeliveries(deps.db, query, query), deliveryView);
}

export async function helpdeskNotes(deps: Deps, query: ListQuery) {
  return mapPage(await listNotes(deps.db, query, query), noteView);
}

export async function helpdeskNote(deps: Deps, id: string): Promise<Record<string, unknown>> {
  const row = await getNote(deps.db, id);
  if (!row) throw new NotFoundError('helpdesk note', id);
  return { ...noteView(row), attemptsLog: await listNoteAttempts(deps.db, row.id) };
}

/** Posts the note again (after the token or the helpdesk was fixed) as a new job; audited. */
export async function replayNote(deps: Deps, id: string, actor: string): Promise<Record<string, unknown>> {
  const row = await deps.db.tx(async (q) => {
    const found = await getNote(q, id, true);
    if (!found) throw new NotFoundError('helpdesk note', id);
    if (found.status === 'pending' || found.status === 'retrying') throw new ConflictError('NOTE_IN_PROGRESS', `the note is ${found.status}; wait for it to finish before replaying`);
    const replays = found.replays + 1;
    await updateNote(q, found.id, { status: 'pending', replays, next_attempt_at: null });
    await enqueue(q, { queue: QUEUES.helpdesks, name: 'note', jobId: noteJobId(found.id, replays), payload: { noteId: found.id } });
    await q.query('INSERT INTO audit_events (actor, action, target_type, target_id, changes) VALUES ($1, $2, $3, $4, $5)', [actor, 'helpdesk.note.replayed', 'helpdesk_note', found.id, JSON.stringify({ replay: replays, previousStatus: found.status })]);
    return { ...found, status: 'pending' as const, replays };
  });
  deps.relay.kick();
  return noteView(row);
}

/** BullMQ states in which the delivery's job will still run by itself. */
const LIVE_STATES = new Set(['waiting', 'waiting-children', 'delayed', 'prioritized', 'active']);

/**
 * Reads the message list again for a delivery still `completing` whose job is gone (lost with
 * the job backend's memory, or failed through every attempt for a reason other than the
 * helpdesk), as a new job; audited. A delivery whose job will still run, or one already
 * written, is refused (409).
 */
export async function replayDelivery(deps: Deps, id: string, actor: string): Promise<Record<string, unknown>> {
  const before = await getDelivery(deps.db, id);
  if (!before) throw new NotFoundError('helpdesk delivery', id);
  if (before.status !== 'completing') throw new ConflictError('DELIVERY_FINISHED', `the delivery is ${before.status}: its chat is written, there is nothing to replay`);
  const jobId = completeJobId(before.id, before.replays);
  // Job-backend calls stay outside the transaction (the embedded database has one session).
  const { rows: queued } = await deps.db.query('SELECT 1 FROM outbox WHERE job_id = $1 AND dispatched_at IS NULL', [jobId]);
  const job = queued.length ? undefined : await deps.jobs.queue(QUEUES.helpdesks).getJob(jobId);
  const state = queued.length ? 'waiting' : job ? await job.getState() : 'missing';
  if (LIVE_STATES.has(state)) throw new ConflictError('DELIVERY_IN_PROGRESS', `the delivery's job is ${state}; it reads the message list by itself`);
  const row = await deps.db.tx(async (q) => {
    const found = await getDelivery(q, id, true);
    if (!found || found.status !== 'completing' || found.replays !== before.replays) throw new ConflictError('DELIVERY_IN_PROGRESS', 'the delivery changed meanwhile; read it again');
    const replays = found.replays + 1;
    await updateDelivery(q, found.id, { replays });
    await enqueue(q, { queue: QUEUES.helpdesks, name: 'complete', jobId: completeJobId(found.id, replays), payload: { deliveryId: found.id } });
    await q.query('INSERT INTO audit_events (actor, action, target_type, target_id, changes) VALUES ($1, $2, $3, $4, $5)', [actor, 'helpdesk.delivery.replayed', 'helpdesk_delivery', found.id, JSON.stringify({ replay: replays, previousJob: state })]);
    return { ...found, replays };
  });
  deps.relay.kick();
  return deliveryView(row);
}
