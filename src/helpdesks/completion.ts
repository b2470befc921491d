// The `complete` job: a finished conversation whose payload carried only some messages gets its
// full list from the helpdesk API before the session is written. A few attempts on the webhook
// schedule; then (or at once for a refusal no retry fixes) the chat is written with what the
// payload carried and a private line saying why, so nothing waits forever.

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { ValidationError } from '../errors.js';
import { webhookScheduleDelay } from '../jobs/backoff.js';
import { readMessages, MAX_MESSAGES } from './api.js';
import { HelpdeskCallError } from './http.js';
import { answerExisting, ingestDraft } from './ingest.js';
import { HelpdeskAttemptError } from './notes.js';
import { chatIdOf, getDelivery, updateDelivery } from './store.js';

/** At once, 5 s, 5 min, 30 min: a helpdesk down longer gets its chat written from the payload. */
export const COMPLETION_ATTEMPTS = 4;

export interface CompleteJob { deliveryId: string }

/** Each replay of a delivery is a job of its own (a second add of the same id would be a no-op). */
export function completeJobId(deliveryId: string, replays: number): string {
  return replays === 0 ? `complete-${deliveryId}` : `complete-${deliveryId}-r${replays}`;
}

function why(label: string, err: unknown): string {
  const e = err as { code?: string; message?: string };
  return `não foi possível ler a lista completa de mensagens no ${label} (${e.code ?? 'ERRO'}: ${e.message ?? String(err)}); só as mensagens que o webhook trouxe foram guardadas`;
}

export function completionProcessor(deps: Deps, log: Logger) {
  const scale = deps.config.webhookRetryScale ?? 1;
  return async (job: Job<CompleteJob>): Promise<string> => {
    const row = await getDelivery(deps.db, job.data.deliveryId);
    if (!row || row.status !== 'completing') return row?.status ?? 'missing';
    const h = deps.helpdesks.get(row.helpdesk);
    if (!h) throw new UnrecoverableError(`helpdesk ${row.helpdesk} is no longer in mappings/helpdesks/`);
    const jobLog = log.child({ helpdeskDelivery: row.id, helpdesk: row.helpdesk, attempt: job.attemptsMade + 1 });
    const ref = { deliveryId: row.delivery_id, rowId: row.id };
    const drafts = deps.helpdesks.drafts;
    const partial = await drafts.map(h.descriptor, { payload: row.payload, messages: null, settings: h.settings });
    const existing = await chatIdOf(deps.db, row.external_id);
    if (existing) {
      await answerExisting(deps, h, ref, partial, existing);
      return 'existing';
    }
    try {
      const list = await readMessages(h, row.conversation, deps.helpdesks.timeoutMs);
      const full = await drafts.map(h.descriptor, { payload: row.payload, messages: list.items, settings: h.settings });
      await ingestDraft(deps, h, full, ref, list.truncated ? `só as ${MAX_MESSAGES} mensagens mais recentes foram lidas no ${h.descriptor.label}` : undefined);
      jobLog.info({ messages: list.items.length }, 'helpdesk conversation completed and ingested');
      return 'ingested';
    } catch (err) {
      if (!(err instanceof HelpdeskCallError) && !(err instanceof ValidationError)) throw err;
      const lastError = `${err.code}: ${err.message}`;
      if (err instanceof HelpdeskCallError && err.transient && job.attemptsMade + 1 < COMPLETION_ATTEMPTS) {
        await updateDelivery(deps.db, row.id, { attempts: row.attempts + 1, last_error: lastError });
        jobLog.info({ code: err.code }, 'helpdesk message list not read; will retry');
        throw new HelpdeskAttemptError(lastError, webhookScheduleDelay(job.attemptsMade + 1, scale));
      }
      await updateDelivery(deps.db, row.id, { attempts: row.attempts + 1, last_error: lastError });
      await ingestDraft(deps, h, partial, ref, why(h.descriptor.label, err));
      jobLog.warn({ code: err.code }, 'helpdesk conversation ingested without its full message list');
      return 'ingested';
    }
  };
}
