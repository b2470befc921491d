// Erasure and anonymization requests (LGPD art. 18 IV and VI): accepted with 202 and one job on
// the `privacy` queue, which collects the person's scope once, then works through the registry
// in batches, recording progress after each. Audited when asked and when done; the match is
// kept in clear only while the job runs (digests stay).

import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { recordAudit } from '../admin/audit.js';
import { isUuid } from '../admin/cursor.js';
import { digestsOf, parseMatch, requestKey, type Identifiers, type MatchInput } from '../domain/data-subject.js';
import { Scrubber, pseudonymsFor } from '../domain/data-subject-scrub.js';
import { collectScope, erpRecords, type ErpRecord, type Scope } from './scope.js';
import { runBatch, stepsFor, type Mode, type Run, type Touched } from './engine.js';

export const ERASURE_JOB = 'erasure';

interface ErasureRow {
  id: string; mode: Mode; status: 'queued' | 'running' | 'done' | 'failed'; match: Identifiers | null; scope: Scope | null;
  progress: Record<string, Touched>; files_removed: number; step: number; cursor: unknown[] | null; erp_records: ErpRecord[];
  pseudonym: string; requested_by: string; error: string | null; created_at: Date; started_at: Date | null; finished_at: Date | null;
}

export function erasureView(r: ErasureRow) {
  const steps = stepsFor(r.mode, true).length;
  return {
    id: r.id, mode: r.mode, status: r.status, requestedBy: r.requested_by,
    progress: { step: Math.min(r.step, steps), steps, filesRemoved: r.files_removed },
    touched: r.progress, erpRecords: r.erp_records, error: r.error,
    createdAt: r.created_at.toISOString(), startedAt: r.started_at?.toISOString() ?? null, finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

export interface ErasureInput { match: MatchInput; mode: Mode; confirm: true }

/** 202: a new request, or the one already queued or running for the same person and mode. */
export async function requestErasure(deps: Deps, input: ErasureInput, actor: string) {
  const ids = parseMatch(input.match, 'match.');
  const key = requestKey(input.mode, ids);
  const row = await deps.db.tx(async (q) => {
    const { rows: running } = await q.query<ErasureRow>("SELECT * FROM data_subject_erasures WHERE request_key = $1 AND status IN ('queued', 'running')", [key]);
    if (running[0]) return running[0];
    const records = await erpRecords(q, await collectScope(q, ids));
    const { rows } = await q.query<ErasureRow>(
      `INSERT INTO data_subject_erasures (mode, status, request_key, match_digests, match, erp_records, pseudonym, requested_by, created_at)
       VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [input.mode, key, digestsOf(ids), JSON.stringify(ids), JSON.stringify(records), randomBytes(4).toString('hex'), actor, deps.clock.now()],
    );
    const created = rows[0]!;
    await enqueue(q, { queue: QUEUES.privacy, name: ERASURE_JOB, jobId: created.id, payload: { erasureId: created.id } });
    await recordAudit(q, { actor, action: 'data_subject.erasure_requested', targetType: 'data_subject_erasure', targetId: created.id, changes: { mode: input.mode, matchDigests: digestsOf(ids) } });
    return created;
  });
  deps.relay.kick();
  return erasureView(row);
}

export async function getErasure(deps: Deps, id: string) {
  const { rows } = isUuid(id) ? await deps.db.query<ErasureRow>('SELECT * FROM data_subject_erasures WHERE id = $1', [id]) : { rows: [] };
  if (!rows[0]) throw new NotFoundError('erasure', id);
  return erasureView(rows[0]);
}

const add = (a: Touched | undefined, b: Touched): Touched => ({ deleted: (a?.deleted ?? 0) + b.deleted, cleaned: (a?.cleaned ?? 0) + b.cleaned, scrubbed: (a?.scrubbed ?? 0) + b.scrubbed });

/**
 * Live events (the SSE relay's backlog in the job backend) carry messages as they were
 * written: dropped whole, as they only serve connections open at the time. BullMQ's
 * PostgreSQL backend has no trimEvents yet, so its event table is trimmed directly.
 */
export async function dropLiveBacklog(deps: Deps): Promise<void> {
  if (deps.jobs.kind === 'redis') await deps.jobs.queue('live').trimEvents(0);
  else await deps.db.query('DELETE FROM bullmq.event WHERE queue = $1', [deps.jobs.name('live')]);
}

/** The job: idempotent, resumable; a done request does nothing again. */
export async function runErasure(deps: Deps, id: string): Promise<ErasureRow> {
  const started = await deps.db.tx(async (q): Promise<ErasureRow | undefined> => {
    const { rows } = await q.query<ErasureRow>('SELECT * FROM data_subject_erasures WHERE id = $1 FOR UPDATE', [id]);
    const r = rows[0];
    if (!r || r.status === 'done' || r.scope) return r;
    // First run: the scope is collected once, so a resumed job works on the same rows.
    const scope = await collectScope(q, r.match!);
    const records = await erpRecords(q, scope);
    const merged = [...r.erp_records, ...records.filter((x) => !r.erp_records.some((y) => y.source === x.source && y.id === x.id))];
    const { rows: updated } = await q.query<ErasureRow>(
      "UPDATE data_subject_erasures SET status = 'running', scope = $2, erp_records = $3, started_at = coalesce(started_at, $4) WHERE id = $1 RETURNING *",
      [id, JSON.stringify(scope), JSON.stringify(merged), deps.clock.now()],
    );
    return updated[0]!;
  });
  if (!started) throw new NotFoundError('erasure', id);
  if (started.status === 'done') return started;
  let row: ErasureRow = started;
  const scope = row.scope!;
  const run: Run = { mode: row.mode, scope, scrubber: new Scrubber(scope.known, pseudonymsFor(row.pseudonym)), mentions: true, uploadDir: deps.uploadDir, jobs: deps.jobs };
  const steps = stepsFor(row.mode, true);
  const log = deps.log.child({ component: 'privacy', erasureId: id, mode: row.mode });
  while (row.step < steps.length) {
    const step = steps[row.step]!;
    const before: ErasureRow = row;
    await runBatch(deps.db, run, step, before.cursor, async (q, result) => {
      const progress = { ...before.progress, [step.table]: add(before.progress[step.table], result.touched) };
      const { rows } = await q.query<ErasureRow>(
        'UPDATE data_subject_erasures SET progress = $2, files_removed = files_removed + $3, step = $4, cursor = $5 WHERE id = $1 RETURNING *',
        [id, JSON.stringify(progress), result.files, result.done ? before.step + 1 : before.step, result.done ? null : JSON.stringify(result.cursor)],
      );
      row = rows[0]!;
    });
    if (row.cursor === null) log.debug({ step: row.step, of: steps.length, table: step.table, phase: step.phase }, 'erasure step done');
  }
  await dropLiveBacklog(deps).catch((err: unknown) => log.warn({ err }, 'could not trim the live event stream'));
  row = await deps.db.tx(async (q) => {
    const { rows } = await q.query<ErasureRow>(
      "UPDATE data_subject_erasures SET status = 'done', match = NULL, scope = NULL, cursor = NULL, finished_at = $2 WHERE id = $1 RETURNING *",
      [id, deps.clock.now()],
    );
    const done = rows[0]!;
    await recordAudit(q, { actor: done.requested_by, action: done.mode === 'erase' ? 'data_subject.erased' : 'data_subject.anonymized', targetType: 'data_subject_erasure', targetId: id, changes: { touched: done.progress, filesRemoved: done.files_removed } });
    return done;
  });
  log.info({ touched: row.progress, filesRemoved: row.files_removed }, 'erasure done');
  return row;
}

/** After the last attempt: the request is marked failed (its match cleared), so a new one can be made. */
export async function failErasure(deps: Deps, id: string, err: unknown): Promise<void> {
  await deps.db.query(
    "UPDATE data_subject_erasures SET status = 'failed', error = $2, match = NULL, scope = NULL, finished_at = $3 WHERE id = $1 AND status <> 'done'",
    [id, `${(err as { code?: string }).code ?? 'INTERNAL'}: the job stopped after its attempts; ask again to resume the work`, deps.clock.now()],
  );
}
