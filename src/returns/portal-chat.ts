// The client's chat from a return (seed 000 "Departamento"): opened in the return's department,
// its linked chat's, or PORTAL_CHAT_DEPARTMENT, and then read and written by the client with
// the return's portal token. The client sees what a client sees: no private notes.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { ConflictError, PonteError, ValidationError } from '../errors.js';
import { plainText } from '../domain/return-format.js';
import { getChat } from '../store/chats.js';
import { insertChat } from '../store/chat-records.js';
import { chatMessages } from '../store/chat-messages.js';
import { getDepartment } from '../store/departments.js';
import { departmentTopic, loadChat, publishLive } from '../chats/chat-change.js';
import { postMessage } from '../chats/messages.js';
import type { ReturnRow } from './store.js';
import { insertEntry } from './timeline.js';
import { auditReturn } from './audit.js';
import { lockReturn } from './lifecycle.js';
import { portalActor } from './portal.js';

/** The department a chat from this return lands in, or the 409 saying why there is none. */
async function chatDepartment(deps: Deps, row: ReturnRow): Promise<string> {
  const id = row.department_id ?? (row.chat_id ? (await getChat(deps.db, row.chat_id))?.department_id : undefined) ?? deps.config.portalChatDepartment;
  if (!id) {
    throw new ConflictError('RETURN_HAS_NO_DEPARTMENT', 'this return has no department to open a chat in (and PORTAL_CHAT_DEPARTMENT is not set)', [{ path: 'departmentId', message: 'not set on the return' }]);
  }
  if (!(await getDepartment(deps.db, id))) {
    throw new ConflictError('UNKNOWN_DEPARTMENT', `department ${id} does not exist: a chat cannot be opened in it`, [{ path: 'departmentId', message: `unknown department ${id}` }]);
  }
  return id;
}

/** The chat the client last opened from this return (any status). */
async function latestChatId(q: Queryable, returnId: string, openOnly: boolean): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT c.id FROM return_timeline t JOIN chats c ON c.id = (t.data->>'chatId')::uuid
     WHERE t.return_id = $1 AND t.event = 'chat_opened' ${openOnly ? "AND c.status <> 'closed'" : ''} ORDER BY t.id DESC LIMIT 1`,
    [returnId],
  );
  return rows[0]?.id;
}

/**
 * Opens a chat queued in the department for an agent. While the chat opened before is not
 * closed, the client gets that one again.
 */
export async function portalOpenChat(deps: Deps, row: ReturnRow) {
  const now = deps.clock.now();
  const departmentId = await chatDepartment(deps, row);
  const out = await deps.db.tx(async (q) => {
    await lockReturn(q, row.id);
    const open = await latestChatId(q, row.id, true);
    if (open) return { chatId: open, departmentId: (await loadChat(q, open)).department_id, created: false };
    const client = { name: row.contact_person ?? row.client_email, email: row.client_email, ...(row.client_code ? { clientCode: row.client_code } : {}) };
    const chat = await insertChat(q, { departmentId, client, clientEmail: row.client_email, clientCode: row.client_code, subject: row.subject, startedAt: now });
    await insertEntry(q, row.id, { kind: 'event', authorKind: 'client', author: row.client_email, event: 'chat_opened', text: 'Chat aberto pelo cliente', visibleToClient: true, data: { chatId: chat.id, departmentId }, at: now });
    await auditReturn(q, { actor: portalActor(row), action: 'return.chat_opened', returnId: row.id, changes: { chatId: { from: null, to: chat.id } }, at: now });
    return { chatId: chat.id, departmentId, created: true };
  });
  if (out.created) {
    const queued = { action: 'queued', departmentId, status: 'queued', returnId: row.id };
    await publishLive(deps, out.chatId, [{ type: 'queue', data: queued }, { topic: departmentTopic(departmentId), type: 'queue', data: { ...queued, subject: row.subject, client: { name: row.contact_person ?? row.client_email } } }]);
  }
  return out;
}

const noChat = () => new PonteError('NO_PORTAL_CHAT', 'no chat was opened from this return yet: open one with POST /v1/portal/returns/:id/chat', { status: 404, details: [{ path: 'chat', message: 'not opened' }] });

/** The chat as the client sees it: its state and the messages a client may read. */
export async function portalChat(deps: Deps, row: ReturnRow) {
  const chatId = await latestChatId(deps.db, row.id, false);
  if (!chatId) throw noChat();
  const chat = await loadChat(deps.db, chatId);
  const messages = await chatMessages(deps.db, chatId, false);
  return {
    chatId, status: chat.status, departmentId: chat.department_id, startedAt: chat.started_at.toISOString(), closedAt: chat.closed_at?.toISOString() ?? null,
    messages: messages.map((m) => ({ id: m.id, at: m.at, from: m.from, authorName: m.authorName, text: m.text })),
  };
}

/** The client writes in the chat opened from the return (409 once that chat is closed). */
export async function portalChatMessage(deps: Deps, row: ReturnRow, text: string) {
  const clean = plainText(text);
  if (!clean) throw ValidationError.field('text', 'must contain text once sanitized');
  const chatId = await latestChatId(deps.db, row.id, false);
  if (!chatId) throw noChat();
  const message = await postMessage(deps, chatId, { from: 'client', text: clean, authorName: row.contact_person ?? undefined });
  return { id: message.id, chatId, at: message.at, from: message.from, authorName: message.authorName, text: message.text };
}
