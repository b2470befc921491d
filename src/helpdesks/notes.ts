// Back to the helpdesk: an internal note on the conversation when its integration succeeds,
// fails or dies (or could not be made). Queued in the transaction of what caused it, posted by a
// retried job on the webhook schedule, each attempt recorded; a retry first looks for the note.

import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import type { Queryable } from '../store/db.js';
import { PonteError } from '../errors.js';
import { isUuid } from '../admin/cursor.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { webhookScheduleDelay } from '../jobs/backoff.js';
import { integrationNote, type NoteKind } from '../domain/helpdesk-note.js';
import type { Helpdesk } from './registry.js';
import { apiConfigured } from './settings.js';
import { noteAlreadyThere, postNote } from './api.js';
import { HelpdeskCallError, type CallResult } from './http.js';
import { getNote, insertNote, insertNoteAttempt, updateNote, type Conversation, type NoteRow } from './store.js';

export interface NoteJob { noteId: string }

/** A failed attempt to retry; `retryDelayMs` is the (scaled) schedule step BullMQ waits. */
export class HelpdeskAttemptError extends PonteError {
  constructor(message: string, readonly retryDelayMs: number) {
    super('HELPDESK_ATTEMPT_FAILED', message, { status: 502, retryable: true });
  }
}

/** Notes are on (the default), the API is configured and the descriptor says how to post one. */
export function notesOn(h: Helpdesk): boolean {
  return h.settings.notes && apiConfigured(h.settings) && Boolean(h.descriptor.api?.note);
}

export function noteJobId(noteId: string, replay = 0): string {
  return replay ? `note-${noteId}.replay-${replay}` : `note-${noteId}`;
}

/** Writes the note and its job in the caller's transaction; nothing when notes are off or it exists. */
export async function queueNote(
  q: Queryable,
  h: Helpdesk,
  n: { chatId: string | null; integrationId?: string; conversation: Conversation; kind: NoteKind; sourceKey: string; text: string },
): Promise<boolean> {
  if (!notesOn(h)) return false;
  const id = await insertNote(q, { ...n, helpdesk: h.descriptor.name });
  if (id) await enqueue(q, { queue: QUEUES.helpdesks, name: 'note', jobId: noteJobId(id), payload: { noteId: id } });
  return Boolean(id);
}

const OUTCOMES = new Set(['integration.succeeded', 'integration.failed', 'integration.dead']);

/** The chat whose helpdesk conversation may get a note for this event, if any (no read). */
export function noteChatOf(event: { type: string; data: Record<string, unknown> }): string | null {
  return OUTCOMES.has(event.type) && isUuid(event.data.chatId) ? event.data.chatId : null;
}

/**
 * Called with each domain event in the fan-out's transaction: an integration of a chat that came
 * from a helpdesk gets its note. Reads the integration row, not the event's payload shape.
 */
export async function noteIntegrationOutcome(q: Queryable, deps: Deps, event: { id: string; type: string; data: Record<string, unknown> }): Promise<boolean> {
  const integrationId = event.data.integrationId;
  if (!OUTCOMES.has(event.type) || !isUuid(integrationId)) return false;
  const { rows } = await q.query<{ chat_id: string; erp_process_number: string | null; error_code: string | null; error_message: string | null; attempts: number; request: { processNumber?: string }; helpdesk: string; conversation: Conversation }>(
    `SELECT i.chat_id, i.erp_process_number, i.error_code, i.error_message, i.attempts, i.request, hc.helpdesk, hc.conversation
     FROM integrations i JOIN helpdesk_conversations hc ON hc.chat_id = i.chat_id WHERE i.id = $1::uuid`,
    [integrationId],
  );
  const row = rows[0];
  const h = row && deps.helpdesks.get(row.helpdesk);
  if (!row || !h) return false;
  const kind = event.type as 'integration.succeeded' | 'integration.failed' | 'integration.dead';
  const text = integrationNote(kind, {
    integrationId, erpProcessNumber: row.erp_process_number, linkedProcess: Boolean(row.request?.processNumber),
    errorCode: row.error_code, errorMessage: row.error_message, attempts: row.attempts,
  });
  return queueNote(q, h, { chatId: row.chat_id, integrationId, conversation: row.conversation, kind, sourceKey: event.id, text });
}

function failureOf(err: unknown): { code: string; message: string; transient: boolean; statusCode?: number; excerpt?: string } {
  if (err instanceof HelpdeskCallError) return { code: err.code, message: err.message, transient: err.transient, statusCode: err.statusCode, excerpt: err.excerpt };
  return { code: 'INTERNAL', message: (err as Error)?.message ?? String(err), transient: true };
}

async function attemptOnce(deps: Deps, h: Helpdesk, row: NoteRow): Promise<{ outcome: 'delivered' | 'found'; result?: CallResult }> {
  const timeoutMs = deps.helpdesks.timeoutMs;
  // A failed attempt may still have reached the helpdesk (its answer lost): look before posting again.
  if (row.attempts > 0 && h.descriptor.api?.messages && (await noteAlreadyThere(h, row.conversation, row.text, timeoutMs))) return { outcome: 'found' };
  return { outcome: 'delivered', result: await postNote(h, row.conversation, row.text, timeoutMs) };
}

export function noteProcessor(deps: Deps, log: Logger) {
  const scale = deps.config.webhookRetryScale ?? 1;
  return async (job: Job<NoteJob>): Promise<string> => {
    const row = await getNote(deps.db, job.data.noteId);
    if (!row || (row.status !== 'pending' && row.status !== 'retrying')) return row?.status ?? 'missing';
    const h = deps.helpdesks.get(row.helpdesk);
    if (!h || !notesOn(h)) {
      await updateNote(deps.db, row.id, { status: 'cancelled', next_attempt_at: null, last_error: `notes to ${row.helpdesk} are off or its API is not configured` });
      return 'cancelled';
    }
    const attempt = row.attempts + 1;
    const jobLog = log.child({ noteId: row.id, helpdesk: row.helpdesk, attempt });
    const startedAt = deps.clock.now();
    const t0 = performance.now();
    const base = { noteId: row.id, attempt, replay: row.replays, startedAt };
    try {
      const done = await attemptOnce(deps, h, row);
      await deps.db.tx(async (q) => {
        await insertNoteAttempt(q, { ...base, durationMs: Math.round(performance.now() - t0), statusCode: done.result?.statusCode, responseExcerpt: done.result?.excerpt, outcome: done.outcome });
        await updateNote(q, row.id, { status: 'delivered', attempts: attempt, next_attempt_at: null, last_error: null, delivered_at: startedAt });
      });
      jobLog.info({ outcome: done.outcome }, 'helpdesk note delivered');
      return 'delivered';
    } catch (err) {
      const failure = failureOf(err);
      const lastError = `${failure.code}: ${failure.message}`;
      const final = !failure.transient || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const delayMs = webhookScheduleDelay(job.attemptsMade + 1, scale);
      await deps.db.tx(async (q) => {
        await insertNoteAttempt(q, { ...base, durationMs: Math.round(performance.now() - t0), statusCode: failure.statusCode, responseExcerpt: failure.excerpt, errorCode: failure.code, errorMessage: failure.message, outcome: final ? 'failed' : 'retrying' });
        await updateNote(q, row.id, { status: final ? 'failed' : 'retrying', attempts: attempt, next_attempt_at: final ? null : new Date(startedAt.getTime() + delayMs), last_error: lastError });
      });
      if (final) {
        jobLog.warn({ code: failure.code }, 'helpdesk note failed');
        throw new UnrecoverableError(lastError);
      }
      jobLog.info({ code: failure.code, delayMs }, 'helpdesk note attempt failed; will retry');
      throw new HelpdeskAttemptError(lastError, delayMs);
    }
  };
}
