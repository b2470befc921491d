// Bulk replay by filter. The request only counts the matching rows and queues ONE job on the
// `admin` queue; that job replays them in batches, so a filter matching thousands never
// runs inside an HTTP request and a crashed job resumes where it stopped.

import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import type { Queryable } from '../store/db.js';
import { checkFieldRules } from '../domain/integration-request.js';
import { saoPauloDate } from '../domain/sao-paulo-time.js';
import { filterJson, filterSql, parseFilter, REPLAYABLE, type FilterInput, type IntegrationFilter } from './filter.js';
import { countIntegrations } from './integration-list.js';
import { recordAudit, type AuditEntry } from './audit.js';
import { REPLAY_COLUMNS, resetAllForReplay, type ReplayedRow } from './replay.js';
import type { AdminContext } from './context.js';

/** Rows replayed per transaction. */
export const BULK_BATCH = 1000;
/** Transactions at once (PostgreSQL works on two while ponte builds the next). */
const BULK_LANES = 2;
export const BULK_REPLAY_JOB = 'bulk-replay';

export interface BulkReplayJob {
  filter: FilterInput;
  /** Only rows last changed at or before this (the request's time, full precision) are replayed. */
  cutoff: string;
  actor: string;
  bulkJobId: string;
}

/** Failed and dead by default; a filter naming another status is refused. */
function replayableFilter(input: FilterInput): IntegrationFilter {
  const filter = parseFilter(input, 'filter.');
  const refused = filter.statuses.filter((s) => !REPLAYABLE.includes(s));
  if (refused.length) throw ValidationError.field('filter.status', `${refused.join(', ')} cannot be replayed (only ${REPLAYABLE.join(', ')})`);
  return { ...filter, statuses: filter.statuses.length ? filter.statuses : ['failed', 'dead'] };
}

export async function queueBulkReplay(ctx: AdminContext, input: FilterInput, options: { actor: string }): Promise<{ queued: number; jobId: string | null }> {
  const filter = replayableFilter(input);
  const result = await ctx.db.tx(async (q) => {
    const { rows } = await q.query<{ at: string }>("SELECT to_json(now()) #>> '{}' AS at");
    const cutoff = rows[0]!.at;
    const queued = await countIntegrations(q, filter, { updatedBefore: cutoff });
    const jobId = queued > 0 ? `bulk-replay-${randomUUID()}` : null;
    if (jobId) {
      const payload: BulkReplayJob = { filter: filterJson(filter), cutoff, actor: options.actor, bulkJobId: jobId };
      await enqueue(q, { queue: QUEUES.admin, name: BULK_REPLAY_JOB, jobId, payload: { ...payload } });
    }
    await recordAudit(q, { actor: options.actor, action: 'integrations.bulk_replay_queued', targetType: 'integrations', targetId: jobId ?? 'none', changes: { filter: filterJson(filter), queued } });
    return { queued, jobId };
  });
  ctx.kick();
  return result;
}

/** The other integrations of the batch's chats (id, multiple, status), kept current as rows are replayed. */
async function chatIntegrations(q: Queryable, chatIds: string[]): Promise<Map<string, Array<{ id: string; multiple: boolean; status: string }>>> {
  const byChat = new Map<string, Array<{ id: string; multiple: boolean; status: string }>>();
  if (chatIds.length === 0) return byChat;
  const { rows } = await q.query<{ id: string; chat_id: string; multiple: boolean; status: string }>(
    "SELECT id, chat_id, coalesce((request->>'multiple')::boolean, false) AS multiple, status FROM integrations WHERE chat_id = ANY($1::uuid[])",
    [chatIds],
  );
  for (const r of rows) byChat.set(r.chat_id, [...(byChat.get(r.chat_id) ?? []), r]);
  return byChat;
}

/**
 * The admin job: replays matching rows a batch at a time until none is left. Each row passes
 * the creation rules again against its chat's other integrations (as a single replay does,
 * without the ERP lookups the worker makes anyway); a refused row stays as it is, audited
 * `integration.replay_refused` with the fields it breaks. A replayed row turns pending (and
 * is stamped after the cutoff), so it never matches again: the loop ends even when replays
 * fail again at once, and a retried job simply continues.
 */
export async function runBulkReplay(ctx: AdminContext, job: BulkReplayJob): Promise<{ replayed: number; refused: number }> {
  const filter = replayableFilter(job.filter);
  const refused = new Set<string>();
  const lanes = await Promise.all(Array.from({ length: BULK_LANES }, (_, lane) => replayLane(ctx, job, filter, lane, refused)));
  return { replayed: lanes.reduce((a, b) => a + b, 0), refused: refused.size };
}

/**
 * One lane's batches until it finds none left. A chat's integrations are all in one lane (by
 * the hash of the chat), so its rules see every sibling a batch before replayed.
 */
async function replayLane(ctx: AdminContext, job: BulkReplayJob, filter: IntegrationFilter, lane: number, refused: Set<string>): Promise<number> {
  let replayed = 0;
  for (;;) {
    const batch = await ctx.db.tx(async (q) => {
      const { where, values } = filterSql(filter);
      values.push(job.cutoff);
      where.push(`updated_at <= $${values.length}::timestamptz`);
      values.push([...refused]);
      where.push(`id <> ALL($${values.length}::uuid[])`);
      values.push(lane);
      where.push(`mod(hashtext(coalesce(chat_id, id)::text)::bigint + 2147483648, ${BULK_LANES}) = $${values.length}`);
      const { rows } = await q.query<ReplayedRow>(
        `SELECT ${REPLAY_COLUMNS} FROM integrations WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${BULK_BATCH} FOR UPDATE SKIP LOCKED`,
        values,
      );
      const chats = await chatIntegrations(q, [...new Set(rows.map((r) => r.chat_id).filter((c): c is string => Boolean(c)))]);
      const today = saoPauloDate(ctx.clock.now());
      const replaying: ReplayedRow[] = [];
      const refusals: AuditEntry[] = [];
      for (const row of rows) {
        const siblings = row.chat_id ? chats.get(row.chat_id) ?? [] : [];
        const problems = row.kind === 'case' && !row.erp_process_number
          ? checkFieldRules(row.request, { chatStatus: 'closed', existing: siblings.filter((i) => i.id !== row.id), today }, 'request.')
          : [];
        if (problems.length) {
          refused.add(row.id);
          refusals.push({ actor: job.actor, action: 'integration.replay_refused', targetType: 'integration', targetId: row.id, changes: { bulkJobId: job.bulkJobId, problems } });
          continue;
        }
        replaying.push(row);
        const self = siblings.find((i) => i.id === row.id);
        if (self) self.status = 'pending';
      }
      await resetAllForReplay(q, replaying, job.actor, job.bulkJobId, refusals);
      const done = replaying.length;
      return { selected: rows.length, done };
    });
    replayed += batch.done;
    if (batch.done > 0) ctx.kick();
    if (batch.selected < BULK_BATCH) return replayed;
  }
}
