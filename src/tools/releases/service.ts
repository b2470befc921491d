// Version release from a chat (seed 001 "Liberar uma versão para o cliente"): only for a system
// of the chat's department, checked against the client's entitled version and the version in
// use (no downgrade unless asked), then released by a queued, retried, idempotent job through
// the updater; the outcome is posted in the chat and audited.

import type { Deps } from '../../deps.js';
import type { Queryable } from '../../store/db.js';
import { ValidationError } from '../../errors.js';
import { enqueue } from '../../jobs/outbox.js';
import { QUEUES } from '../../jobs/queues.js';
import { IllegalChatMove } from '../../domain/chat-state.js';
import { assertChatAgent } from '../../domain/chat-actors.js';
import { toState } from '../../store/chat-records.js';
import { addMessage } from '../../store/chat-messages.js';
import { requireAgent } from '../../chats/actors.js';
import { getDepartment } from '../../store/departments.js';
import { rejectProblems } from '../../returns/references.js';
import type { ErrorDetail } from '../../errors.js';
import { loadChat, onChat, publishLive } from '../../chats/chat-change.js';
import { entitlementProblem } from './entitlement.js';
import type { PageRequest } from '../../store/keyset.js';
import { chatReleases, getRelease, insertRelease, recordedVersions, toReleaseView, updateRelease, type ReleaseRow, type ReleaseView } from './store.js';

export const VERSION_RELEASE_JOB = 'version-release';
export const VERSION_RELEASE_EVENT = 'version-release';

export interface ReleaseRequest {
  system: string;
  version: string;
  agentId: string;
  /** Release a version below the one the client uses (a deliberate downgrade). */
  allowDowngrade?: boolean;
}

/** The chat's department decides which systems its agents release (seed 001: "sistemas do departamento"). */
async function departmentProblem(q: Queryable, departmentId: string, system: string): Promise<ErrorDetail[]> {
  const systems = (await getDepartment(q, departmentId))?.systems ?? [];
  if (systems.includes(system)) return [];
  const listed = systems.length ? systems.join(', ') : 'none';
  return [{ path: 'system', message: `"${system}" is not a system of department ${departmentId} (its systems: ${listed})`, code: 'SYSTEM_NOT_IN_DEPARTMENT' }];
}

export async function requestVersionRelease(deps: Deps, chatId: string, input: ReleaseRequest, actor: string): Promise<ReleaseView> {
  return onChat(deps, chatId, async (q, chat) => {
    const state = toState(chat);
    if (state.status !== 'active') throw new IllegalChatMove('release a version', state.status, ['active']);
    const agent = await requireAgent(q, input.agentId);
    assertChatAgent(state, agent.id);
    if (!chat.client_code) throw ValidationError.field('clientCode', 'the chat has no ERP client code, so no entitled versions are known', 'NO_PRODUCT_VERSIONS');
    const recorded = await recordedVersions(q, chat.client_code);
    if (recorded.length === 0) {
      throw ValidationError.field('clientCode', `the ERP has recorded no product versions for client ${chat.client_code}`, 'NO_PRODUCT_VERSIONS');
    }
    const problem = entitlementProblem(input.system, input.version, recorded, input.allowDowngrade === true);
    rejectProblems([
      ...(await departmentProblem(q, chat.department_id, input.system)),
      ...(problem ? [{ path: 'version', message: problem, code: 'VERSION_NOT_ENTITLED' }] : []),
    ]);
    const row = await insertRelease(q, {
      chatId, clientCode: chat.client_code, system: input.system, version: input.version.trim(),
      entitled: recorded.find((r) => r.system === input.system)!.entitled!, agentId: agent.id, requestedBy: actor,
    });
    // jobId = release id: a second add of the same job is a no-op, and the updater dedupes on it too.
    await enqueue(q, { queue: QUEUES.tools, name: VERSION_RELEASE_JOB, jobId: row.id, payload: { releaseId: row.id } });
    const release = toReleaseView(row);
    return { result: release, events: [{ type: VERSION_RELEASE_EVENT, data: { release } }], queuedJobs: true };
  });
}

export async function versionReleasesOfChat(deps: Deps, chatId: string, page: PageRequest): Promise<{ items: ReleaseView[]; nextCursor: string | null }> {
  await loadChat(deps.db, chatId);
  const { rows, nextCursor } = await chatReleases(deps.db, chatId, page);
  return { items: rows.map(toReleaseView), nextCursor };
}

export type ReleaseOutcome = { status: 'released'; updaterReleaseId: string } | { status: 'failed'; error: { code: string; message: string } };

function outcomeText(row: ReleaseRow, outcome: ReleaseOutcome): string {
  return outcome.status === 'released'
    ? `Versão ${row.version} do sistema ${row.system} liberada para o cliente pelo updater.`
    : `Não foi possível liberar a versão ${row.version} do sistema ${row.system}: ${outcome.error.message}`;
}

async function audit(q: Queryable, row: ReleaseRow, outcome: ReleaseOutcome): Promise<void> {
  const changes = { chatId: row.chat_id, clientCode: row.client_code, system: row.system, version: row.version, agentId: row.agent_id,
    ...(outcome.status === 'released' ? { updaterReleaseId: outcome.updaterReleaseId } : { error: outcome.error }) };
  await q.query('INSERT INTO audit_events (actor, action, target_type, target_id, changes) VALUES ($1, $2, $3, $4, $5)',
    [row.requested_by, outcome.status === 'released' ? 'version.released' : 'version.release_failed', 'version_release', row.id, JSON.stringify(changes)]);
}

/** Records the outcome once (row, chat message, audit line in one transaction), then publishes it. */
export async function finishRelease(deps: Deps, releaseId: string, outcome: ReleaseOutcome): Promise<ReleaseView | null> {
  const out = await deps.db.tx(async (q) => {
    const row = await getRelease(q, releaseId, true);
    if (!row || row.status !== 'pending') return null;
    const saved = await updateRelease(q, releaseId, outcome.status === 'released'
      ? { status: 'released', updater_release_id: outcome.updaterReleaseId, error_code: null, error_message: null, finished_at: deps.clock.now() }
      : { status: 'failed', error_code: outcome.error.code, error_message: outcome.error.message, finished_at: deps.clock.now() });
    const message = await addMessage(q, row.chat_id, { from: 'system', text: outcomeText(row, outcome) }, deps.clock.now());
    await audit(q, row, outcome);
    return { release: toReleaseView(saved), message };
  });
  if (!out) return null;
  await publishLive(deps, out.release.chatId, [{ type: VERSION_RELEASE_EVENT, data: { release: out.release } }, { type: 'message', data: { message: out.message } }]);
  return out.release;
}
