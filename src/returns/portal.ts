// The client portal: a per-return token instead of an API key. No token → 401; a wrong,
// revoked or other return's token → 404 (existence is not revealed); past validUntil → 410.

import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, PonteError, ValidationError } from '../errors.js';
import { isExpired } from '../domain/return-rules.js';
import { plainText } from '../domain/return-format.js';
import { getChat } from '../store/chats.js';
import { getReturn, type ReturnRow } from './store.js';
import { loadReturn } from './service.js';
import { renderReturnPage } from './page.js';
import { insertEntry, listEntries, portalEntryView } from './timeline.js';
import { auditReturn } from './audit.js';
import { portalTokenMatches } from './portal-token.js';
import { portalReturnView } from './view.js';
import { recordClientMessage } from './client-messages.js';
import { lockReturn } from './lifecycle.js';

export const portalActor = (row: ReturnRow) => `portal:${row.client_email}`;

/** The return this token opens, or the error the portal must answer. */
export async function authorizePortal(deps: Deps, id: string, token: string | undefined): Promise<ReturnRow> {
  if (!token) throw new PonteError('PORTAL_TOKEN_REQUIRED', 'this page needs the link sent to you (token missing)', { status: 401, details: [{ path: 'token', message: 'required' }] });
  const row = await getReturn(deps.db, id);
  if (!row || !portalTokenMatches(token, row.portal_token_hash)) throw new NotFoundError('return', id);
  if (isExpired(row.valid_until, deps.clock.now())) {
    throw new PonteError('RETURN_EXPIRED', `this return was available until ${row.valid_until.toISOString()}`, { status: 410, details: [{ path: 'validUntil', message: 'is past' }] });
  }
  return row;
}

export async function portalReturn(deps: Deps, row: ReturnRow) {
  const entries = await listEntries(deps.db, row.id, true);
  return { ...portalReturnView(row), timeline: entries.map(portalEntryView) };
}

export async function portalAnswer(deps: Deps, row: ReturnRow, text: string) {
  const clean = plainText(text);
  if (!clean) throw ValidationError.field('text', 'must contain text once sanitized');
  const entry = await recordClientMessage(deps, row.id, { channel: 'portal', author: row.client_email, text: clean, actor: portalActor(row) });
  return { id: entry.id, text: entry.text, createdAt: entry.createdAt };
}

/**
 * Opens a chat in the return's department (or its linked chat's), queued for an agent.
 * Only the chat row is written here; the chat screen (another module) takes it from the queue.
 * While the chat opened before is not closed, the client gets that one again.
 */
export async function portalOpenChat(deps: Deps, row: ReturnRow) {
  const now = deps.clock.now();
  const departmentId = row.department_id ?? (row.chat_id ? (await getChat(deps.db, row.chat_id))?.department_id : undefined);
  if (!departmentId) throw new ConflictError('RETURN_HAS_NO_DEPARTMENT', 'this return has no department to open a chat in', [{ path: 'departmentId', message: 'not set on the return' }]);
  return deps.db.tx(async (q) => {
    await lockReturn(q, row.id);
    const { rows: open } = await q.query<{ id: string }>(
      `SELECT c.id FROM return_timeline t JOIN chats c ON c.id = (t.data->>'chatId')::uuid
       WHERE t.return_id = $1 AND t.event = 'chat_opened' AND c.status <> 'closed' ORDER BY t.id DESC LIMIT 1`,
      [row.id],
    );
    if (open[0]) return { chatId: open[0].id, created: false };
    const client = { name: row.contact_person ?? row.client_email, email: row.client_email, ...(row.client_code ? { clientCode: row.client_code } : {}) };
    const { rows } = await q.query<{ id: string }>(
      `INSERT INTO chats (status, department_id, client, client_email, client_code, subject, started_at, created_at, updated_at)
       VALUES ('queued', $1, $2, $3, $4, $5, $6, $6, $6) RETURNING id`,
      [departmentId, JSON.stringify(client), row.client_email, row.client_code, row.subject, now],
    );
    const chatId = rows[0]!.id;
    await insertEntry(q, row.id, { kind: 'event', authorKind: 'client', author: row.client_email, event: 'chat_opened', text: 'Chat aberto pelo cliente', visibleToClient: true, data: { chatId, departmentId }, at: now });
    await auditReturn(q, { actor: portalActor(row), action: 'return.chat_opened', returnId: row.id, changes: { chatId: { from: null, to: chatId } }, at: now });
    return { chatId, created: true };
  });
}

/** The page exactly as the client would see it, for agents (no token needed). */
export async function previewPage(deps: Deps, id: string): Promise<string> {
  return renderReturnPage(await portalReturn(deps, await loadReturn(deps, id)), { preview: true });
}

export async function portalPage(deps: Deps, row: ReturnRow): Promise<string> {
  return renderReturnPage(await portalReturn(deps, row), { preview: false });
}
