// Replaying and cancelling one integration. A replay (with or without a patch, checked again by
// every creation rule against the chat's other integrations) resets the row to pending with a
// fresh attempt count, keeps earlier attempts (each carries its replay number) and queues a new
// job through the outbox. An unfinished row whose job left the backend can be replayed or
// cancelled too.

import type { Queryable } from '../store/db.js';
import { ConflictError, NotFoundError, ValidationError, type ErrorDetail } from '../errors.js';
import { getIntegration, isUuid, listChatIntegrations, toView, type IntegrationRow, type IntegrationStatus, type IntegrationView } from '../store/integrations.js';
import { checkFieldRules, type IntegrationRequest } from '../domain/integration-request.js';
import { saoPauloDate } from '../domain/sao-paulo-time.js';
import { chatFacts, normalizeRequest, rejectIfAny } from '../integration/accept.js';
import { needsTranscript } from '../integration/case-record.js';
import { enqueueAllStatement, type OutboxJob } from '../jobs/outbox.js';
import { INTEGRATION_JOB_ID_SQL, replayJobId } from '../integration/job-id.js';
import { QUEUES } from '../jobs/queues.js';
import { REPLAYABLE } from './filter.js';
import { auditAllStatement, recordAudit, type AuditEntry } from './audit.js';
import { combine, type Statement } from '../store/statement.js';
import { jobCorrelation } from '../telemetry/correlation.js';
import { changedFields, mergePatch, shapeProblems } from './request-patch.js';
import type { AdminContext } from './context.js';

export const CANCELLABLE: IntegrationStatus[] = ['pending', 'failed', 'dead'];


async function lockRow(q: Queryable, id: string): Promise<IntegrationRow> {
  const { rows } = isUuid(id) ? await q.query<IntegrationRow>('SELECT * FROM integrations WHERE id = $1 FOR UPDATE', [id]) : { rows: [] };
  if (!rows[0]) throw new NotFoundError('integration', id);
  return rows[0];
}

/** Unfinished rows: replayable (and a running one cancellable) only once their job is gone. */
const UNFINISHED: IntegrationStatus[] = ['pending', 'running'];

/** `gone`: whether the unfinished row's job has left the backend (undefined: cannot be seen). */
function assertReplayable(row: IntegrationRow, gone: boolean | undefined): void {
  if ((REPLAYABLE as string[]).includes(row.status)) return;
  if (UNFINISHED.includes(row.status) && gone) return;
  const why = !UNFINISHED.includes(row.status)
    ? `only ${REPLAYABLE.join(', ')} integrations, or unfinished ones whose job is gone, can be replayed`
    : gone === undefined
      ? 'whether its job is still in the job backend cannot be seen from here: replay it through the API'
      : 'its job is still queued or running: it will run';
  throw new ConflictError('NOT_REPLAYABLE', `integration ${row.id} is ${row.status}: ${why}`, [{ path: 'status', message: `is ${row.status}` }]);
}

const NO_CHAT = { advanceOpinion: null, transcript: '', clientName: null };

/**
 * Every creation rule again, against the chat's other integrations: a replay must not give a
 * chat a second ERP case its rules refuse (a cancelled non-multiple integration replayed next
 * to the one that replaced it). A row whose ERP case exists only has notifying left: no rule.
 */
async function replayProblems(ctx: AdminContext, row: IntegrationRow, request: IntegrationRequest, prefix: string): Promise<ErrorDetail[]> {
  if (row.kind !== 'case' || row.erp_process_number) return [];
  const others = row.chat_id ? (await listChatIntegrations(ctx.db, row.chat_id)).filter((i) => i.id !== row.id) : [];
  const existing = others.map((i) => ({ multiple: Boolean(i.request.multiple), status: i.status }));
  // The chat was closed when the integration was accepted.
  const chat = row.chat_id ? await chatFacts(ctx.db, row.chat_id, { transcript: needsTranscript(request) }) : NO_CHAT;
  return ctx.checkRequest(request, { chatStatus: 'closed', existing, chat }, prefix);
}

/** The chat-level rules again under the chat's lock, so a concurrent new integration cannot slip in. */
export async function lockedChatProblems(q: Queryable, row: IntegrationRow, request: IntegrationRequest, today: string, prefix: string): Promise<ErrorDetail[]> {
  if (row.kind !== 'case' || row.erp_process_number || !row.chat_id) return [];
  await q.query('SELECT 1 FROM chats WHERE id = $1 FOR UPDATE', [row.chat_id]);
  const others = (await listChatIntegrations(q, row.chat_id)).filter((i) => i.id !== row.id);
  const existing = others.map((i) => ({ multiple: Boolean(i.request.multiple), status: i.status }));
  return checkFieldRules(request, { chatStatus: 'closed', existing, today }, prefix).filter((p) => p.path === `${prefix}multiple`);
}

function refuseReplay(problems: ErrorDetail[]): void {
  if (problems.length === 0) return;
  throw new ConflictError('INTEGRATION_RULES', `the replay would break the creation rules: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
}

/** What a replay clears: the row runs again from a fresh attempt count. */
const RESET = `status = 'pending', attempts = 0, replays = replays + 1, error_code = NULL, error_message = NULL,
       error_retryable = NULL, finished_at = NULL, updated_at = now()`;

/** What a bulk replay reads of each row: its rules' inputs and what the audit line tells. */
export type ReplayedRow = Pick<IntegrationRow, 'id' | 'chat_id' | 'kind' | 'status' | 'replays' | 'error_code' | 'erp_process_number' | 'request'>;
export const REPLAY_COLUMNS = 'id, chat_id, kind, status, replays, error_code, erp_process_number, request';

function replayedAudit(row: ReplayedRow, actor: string, bulkJobId?: string): AuditEntry {
  const changes = { fromStatus: row.status, replay: row.replays + 1, lastError: row.error_code, ...(bulkJobId ? { bulkJobId } : {}) };
  return { actor, action: 'integration.replayed', targetType: 'integration', targetId: row.id, changes };
}

function replayJob(row: ReplayedRow): OutboxJob {
  return { queue: QUEUES.integrations, name: 'run', jobId: replayJobId(row.id, row.replays + 1), payload: { integrationId: row.id } };
}

/** Resets a locked, replayable row and queues its next run, in one statement of the caller's transaction. */
export async function resetForReplay(q: Queryable, row: IntegrationRow, actor: string, extra: { request?: object; clientCode?: string | null } = {}): Promise<IntegrationRow> {
  const reset: Statement = {
    text: `UPDATE integrations SET ${RESET}, request = COALESCE($2::jsonb, request), client_code = CASE WHEN $2::jsonb IS NULL THEN client_code ELSE $3::text END
     WHERE id = $1 RETURNING *`,
    values: [row.id, extra.request ? JSON.stringify(extra.request) : null, extra.clientCode ?? null],
  };
  const { text, values } = combine([enqueueAllStatement([replayJob(row)]), auditAllStatement([replayedAudit(row, actor)]), reset]);
  return (await q.query<IntegrationRow>(text, values)).rows[0]!;
}

/**
 * The bulk replay of locked rows (each passed its rules) in one statement: the rows reset, and
 * from what the reset returns their jobs and audit lines (built in SQL, so a batch of a thousand
 * sends ids, not a thousand jobs and lines); the refused rows' lines (`refused`) beside it.
 * The jobs and lines are those resetForReplay writes for one row (replayJob, replayedAudit).
 */
export async function resetAllForReplay(q: Queryable, rows: ReplayedRow[], actor: string, bulkJobId: string, refused: AuditEntry[]): Promise<void> {
  // Refusals are rare: their lines go on their own, in the caller's transaction.
  if (refused.length) {
    const refusedAudit = auditAllStatement(refused);
    await q.query(refusedAudit.text, refusedAudit.values);
  }
  if (rows.length === 0) return;
  const correlation = jobCorrelation();
  const values: unknown[] = [
    rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.error_code),
    actor, bulkJobId, QUEUES.integrations, JSON.stringify(correlation ? { correlation } : {}),
  ];
  await q.query(
    `WITH u AS (
       UPDATE integrations SET ${RESET} WHERE id = ANY($1::uuid[]) RETURNING id, replays
     ), a AS (
       INSERT INTO audit_events (actor, action, target_type, target_id, changes)
       SELECT $4, 'integration.replayed', 'integration', u.id::text,
              jsonb_build_object('fromStatus', o.status, 'replay', u.replays, 'lastError', o.error_code, 'bulkJobId', $5::text)
       FROM u JOIN unnest($1::uuid[], $2::text[], $3::text[]) AS o(id, status, error_code) ON o.id = u.id
     )
     INSERT INTO outbox (queue, name, job_id, payload, delay_ms)
     SELECT $6, 'run', ${INTEGRATION_JOB_ID_SQL}, jsonb_build_object('integrationId', i.id) || $7::jsonb, 0 FROM u AS i
     ON CONFLICT (job_id) DO NOTHING`,
    values,
  );
}

/** The patched request, checked like a new one; throws 400 naming every broken field. */
async function patchedRequest(ctx: AdminContext, row: IntegrationRow, patch: Record<string, unknown>): Promise<IntegrationRow['request']> {
  let request = mergePatch(row.request, patch);
  rejectIfAny(await shapeProblems(row.kind, request, 'patch.'));
  if (row.kind === 'case') request = normalizeRequest(request as IntegrationRequest);
  const changed = Object.keys(changedFields(row.request, request));
  // The ERP case exists already (only notifying failed): a changed case field would never reach it.
  if (row.erp_process_number && changed.some((f) => f !== 'notify')) {
    throw new ValidationError(`the ERP case ${row.erp_process_number} already exists: only notify can still change`, changed.filter((f) => f !== 'notify').map((f) => ({ path: `patch.${f}`, message: `the ERP case ${row.erp_process_number} already exists` })), 'INTEGRATION_RULES');
  }
  rejectIfAny(await replayProblems(ctx, row, request as IntegrationRequest, 'patch.'));
  return request;
}

export async function replayIntegration(ctx: AdminContext, id: string, options: { actor: string; patch?: Record<string, unknown> }): Promise<IntegrationView> {
  const row = await getIntegration(ctx.db, id);
  if (!row) throw new NotFoundError('integration', id);
  const gone = UNFINISHED.includes(row.status) ? await ctx.jobGone(row) : undefined;
  assertReplayable(row, gone);
  const patch = options.patch && Object.keys(options.patch).length ? options.patch : undefined;
  const request = patch ? await patchedRequest(ctx, row, patch) : undefined;
  if (!patch) refuseReplay(await replayProblems(ctx, row, row.request, 'request.'));
  const updated = await ctx.db.tx(async (q) => {
    const locked = await lockRow(q, id);
    assertReplayable(locked, gone); // a concurrent replay or cancel may have won
    const prefix = request ? 'patch.' : 'request.';
    const chatProblems = await lockedChatProblems(q, locked, (request ?? locked.request) as IntegrationRequest, saoPauloDate(ctx.clock.now()), prefix);
    if (request) rejectIfAny(chatProblems);
    else refuseReplay(chatProblems);
    const changes = request ? changedFields(locked.request, request) : {};
    if (Object.keys(changes).length) {
      await recordAudit(q, { actor: options.actor, action: 'integration.patched', targetType: 'integration', targetId: id, changes });
    }
    const clientCode = request && 'clientCode' in request ? request.clientCode : locked.client_code;
    return resetForReplay(q, locked, options.actor, Object.keys(changes).length ? { request, clientCode } : {});
  });
  ctx.kick();
  return toView(updated);
}

export async function cancelIntegration(ctx: AdminContext, id: string, options: { actor: string }): Promise<IntegrationView> {
  const before = await getIntegration(ctx.db, id);
  const gone = before?.status === 'running' ? await ctx.jobGone(before) : undefined;
  const updated = await ctx.db.tx(async (q) => {
    const row = await lockRow(q, id);
    if (!CANCELLABLE.includes(row.status) && !(row.status === 'running' && gone)) {
      const why = row.status === 'running'
        ? gone === undefined ? 'whether its job is still running cannot be seen from here: cancel it through the API' : 'an attempt is running now; cancel after it ends'
        : `only ${CANCELLABLE.join(', ')} integrations, or running ones whose job is gone, can be cancelled`;
      throw new ConflictError('NOT_CANCELLABLE', `integration ${id} is ${row.status}: ${why}`, [{ path: 'status', message: `is ${row.status}` }]);
    }
    const { rows } = await q.query<IntegrationRow>(
      "UPDATE integrations SET status = 'cancelled', finished_at = now(), updated_at = now() WHERE id = $1 RETURNING *",
      [id],
    );
    await recordAudit(q, { actor: options.actor, action: 'integration.cancelled', targetType: 'integration', targetId: id, changes: { fromStatus: row.status } });
    return rows[0]!;
  });
  return toView(updated);
}
