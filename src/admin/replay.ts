// Replaying and cancelling one integration. A replay (optionally after a patch checked by
// the creation rules) resets the row to pending with a fresh attempt count, keeps earlier
// attempts (each carries its replay number) and queues a new job through the outbox.

import type { Queryable } from '../store/db.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { getIntegration, isUuid, listChatIntegrations, toView, type IntegrationRow, type IntegrationStatus, type IntegrationView } from '../store/integrations.js';
import type { IntegrationRequest } from '../domain/integration-request.js';
import { normalizeRequest, rejectIfAny } from '../integration/accept.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { REPLAYABLE } from './filter.js';
import { recordAudit } from './audit.js';
import { changedFields, mergePatch, shapeProblems } from './request-patch.js';
import type { AdminContext } from './context.js';

export const CANCELLABLE: IntegrationStatus[] = ['pending', 'failed', 'dead'];

/** BullMQ refuses custom job ids with one ':'; the replay number keeps each replay's job distinct. */
export const replayJobId = (id: string, replay: number) => `${id}-r${replay}`;

async function lockRow(q: Queryable, id: string): Promise<IntegrationRow> {
  const { rows } = isUuid(id) ? await q.query<IntegrationRow>('SELECT * FROM integrations WHERE id = $1 FOR UPDATE', [id]) : { rows: [] };
  if (!rows[0]) throw new NotFoundError('integration', id);
  return rows[0];
}

function assertReplayable(row: IntegrationRow): void {
  if ((REPLAYABLE as string[]).includes(row.status)) return;
  throw new ConflictError('NOT_REPLAYABLE', `integration ${row.id} is ${row.status}: only ${REPLAYABLE.join(', ')} integrations can be replayed`, [{ path: 'status', message: `is ${row.status}` }]);
}

/**
 * Resets a locked, replayable row and queues its next run, in the caller's transaction.
 * Shared by the single and the bulk replay.
 */
export async function resetForReplay(q: Queryable, row: IntegrationRow, actor: string, extra: { request?: object; clientCode?: string | null; bulkJobId?: string } = {}): Promise<IntegrationRow> {
  const { rows } = await q.query<IntegrationRow>(
    `UPDATE integrations SET status = 'pending', attempts = 0, replays = replays + 1, error_code = NULL, error_message = NULL,
       error_retryable = NULL, finished_at = NULL, request = COALESCE($2::jsonb, request), client_code = CASE WHEN $2::jsonb IS NULL THEN client_code ELSE $3::text END,
       updated_at = now()
     WHERE id = $1 RETURNING *`,
    [row.id, extra.request ? JSON.stringify(extra.request) : null, extra.clientCode ?? null],
  );
  const updated = rows[0]!;
  await enqueue(q, { queue: QUEUES.integrations, name: 'run', jobId: replayJobId(row.id, updated.replays), payload: { integrationId: row.id } });
  await recordAudit(q, {
    actor,
    action: 'integration.replayed',
    targetType: 'integration',
    targetId: row.id,
    changes: { fromStatus: row.status, replay: updated.replays, lastError: row.error_code, ...(extra.bulkJobId ? { bulkJobId: extra.bulkJobId } : {}) },
  });
  return updated;
}

/** The patched request, checked like a new one; throws 400 naming every broken field. */
async function patchedRequest(ctx: AdminContext, row: IntegrationRow, patch: Record<string, unknown>): Promise<IntegrationRow['request']> {
  let request = mergePatch(row.request, patch);
  const problems = await shapeProblems(row.kind, request, 'patch.');
  rejectIfAny(problems);
  if (row.kind === 'case') {
    request = normalizeRequest(request as IntegrationRequest);
    const others = row.chat_id ? (await listChatIntegrations(ctx.db, row.chat_id)).filter((i) => i.id !== row.id) : [];
    const existing = others.map((i) => ({ multiple: Boolean(i.request.multiple), status: i.status }));
    // The chat was closed when the integration was accepted; the rules look at the other integrations.
    rejectIfAny(await ctx.checkRequest(request as IntegrationRequest, { chatStatus: 'closed', existing }));
  }
  const changed = Object.keys(changedFields(row.request, request));
  // The ERP case exists already (only notifying failed): a changed case field would never reach it.
  if (row.erp_process_number && changed.some((f) => f !== 'notify')) {
    throw new ValidationError(`the ERP case ${row.erp_process_number} already exists: only notify can still change`, changed.filter((f) => f !== 'notify').map((f) => ({ path: `patch.${f}`, message: `the ERP case ${row.erp_process_number} already exists` })), 'INTEGRATION_RULES');
  }
  return request;
}

export async function replayIntegration(ctx: AdminContext, id: string, options: { actor: string; patch?: Record<string, unknown> }): Promise<IntegrationView> {
  const row = await getIntegration(ctx.db, id);
  if (!row) throw new NotFoundError('integration', id);
  assertReplayable(row);
  const patch = options.patch && Object.keys(options.patch).length ? options.patch : undefined;
  const request = patch ? await patchedRequest(ctx, row, patch) : undefined;
  const updated = await ctx.db.tx(async (q) => {
    const locked = await lockRow(q, id);
    assertReplayable(locked); // a concurrent replay or cancel may have won
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
  const updated = await ctx.db.tx(async (q) => {
    const row = await lockRow(q, id);
    if (!CANCELLABLE.includes(row.status)) {
      const why = row.status === 'running' ? 'an attempt is running now; cancel after it ends' : `only ${CANCELLABLE.join(', ')} integrations can be cancelled`;
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
