// Chats hosted by ponte: insert, save a lifecycle move, list with filters, and the
// fields agents edit during the chat (advance opinion, rating).

import type { Queryable } from './db.js';
import type { ChatClient, ChatRow } from './chats.js';
import type { ChatState, ChatStatus } from '../domain/chat-state.js';
import { SqlWhere } from './sql-where.js';
import { decodeCursor, encodeCursor, isTimestamp, isUuid, pageLimit } from '../admin/cursor.js';

export interface HostedChatRow extends ChatRow {
  close_invites: number;
}

export interface NewChat {
  departmentId: string;
  client: ChatClient;
  clientEmail: string | null;
  clientCode: string | null;
  subject: string | null;
  startedAt: Date;
}

export function toState(row: HostedChatRow): ChatState {
  return {
    status: row.status as ChatStatus,
    departmentId: row.department_id,
    agentId: row.agent_id,
    lastAgentId: row.last_agent_id,
    transferToAgentId: row.transfer_to_agent_id,
    transferRequestedAt: row.transfer_requested_at,
    transferAcceptedAt: row.transfer_accepted_at,
    transferExpiresAt: row.transfer_expires_at,
    transfers: row.transfers,
    transferredFromAgentId: row.transferred_from_agent_id,
    closeInviteAt: row.close_invite_at,
    closeInviteExpiresAt: row.close_invite_expires_at,
    closeInvites: row.close_invites,
    closedAt: row.closed_at,
  };
}

export async function insertChat(q: Queryable, chat: NewChat): Promise<HostedChatRow> {
  const { rows } = await q.query<HostedChatRow>(
    `INSERT INTO chats (status, department_id, client, client_email, client_code, subject, started_at)
     VALUES ('queued', $1, $2, $3, $4, $5, $6) RETURNING *`,
    [chat.departmentId, JSON.stringify(chat.client), chat.clientEmail, chat.clientCode, chat.subject, chat.startedAt],
  );
  return rows[0]!;
}

/** Writes the state a move produced (the caller holds the row lock). */
export async function saveState(q: Queryable, id: string, s: ChatState): Promise<HostedChatRow> {
  const { rows } = await q.query<HostedChatRow>(
    `UPDATE chats SET status = $2, department_id = $3, agent_id = $4, last_agent_id = $5, transfer_to_agent_id = $6,
       close_invite_at = $7, close_invites = $8, closed_at = $9, transfer_requested_at = $10, transfer_accepted_at = $11,
       transfer_expires_at = $12, transfers = $13, transferred_from_agent_id = $14, close_invite_expires_at = $15, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id, s.status, s.departmentId, s.agentId, s.lastAgentId, s.transferToAgentId, s.closeInviteAt, s.closeInvites, s.closedAt,
      s.transferRequestedAt, s.transferAcceptedAt, s.transferExpiresAt, s.transfers, s.transferredFromAgentId, s.closeInviteExpiresAt],
  );
  return rows[0]!;
}

export async function setAdvanceOpinion(q: Queryable, id: string, text: string): Promise<HostedChatRow> {
  const { rows } = await q.query<HostedChatRow>('UPDATE chats SET advance_opinion = $2, updated_at = now() WHERE id = $1 RETURNING *', [id, text]);
  return rows[0]!;
}

export async function setRating(q: Queryable, id: string, score: number): Promise<HostedChatRow> {
  const { rows } = await q.query<HostedChatRow>('UPDATE chats SET rating = $2, updated_at = now() WHERE id = $1 RETURNING *', [id, score]);
  return rows[0]!;
}

export interface ChatFilter {
  status?: ChatStatus;
  departmentId?: string;
  agentId?: string;
  /** Incoming transfers of this agent. */
  transferTo?: string;
  clientEmail?: string;
  clientCode?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Newest first; a queue (status=queued&departmentId=...) is read oldest first, as served.
 * Keyset pages on (started_at, id), the time kept at microseconds in the cursor.
 */
export async function listChats(q: Queryable, f: ChatFilter): Promise<{ rows: HostedChatRow[]; nextCursor: string | null }> {
  const limit = pageLimit(f.limit);
  const where = new SqlWhere();
  if (f.status) where.and('status = ?', f.status);
  if (f.departmentId) where.and('department_id = ?', f.departmentId);
  if (f.agentId) where.and('agent_id = ?', f.agentId);
  if (f.transferTo) where.and('transfer_to_agent_id = ?', f.transferTo);
  if (f.clientEmail) where.and('client_email = ?', f.clientEmail.toLowerCase());
  if (f.clientCode) where.and('client_code = ?', f.clientCode);
  const oldestFirst = f.status === 'queued';
  if (f.cursor) {
    const [at, id] = decodeCursor<[string, string]>(f.cursor, [isTimestamp, isUuid]);
    where.and(`(started_at, id) ${oldestFirst ? '>' : '<'} (?::timestamptz, ?::uuid)`, at, id);
  }
  const order = oldestFirst ? 'started_at, id' : 'started_at DESC, id DESC';
  const { rows } = await q.query<HostedChatRow & { cursor_at: string }>(
    `SELECT *, to_json(started_at) #>> '{}' AS cursor_at FROM chats ${where} ORDER BY ${order} LIMIT ${where.param(limit + 1)}`,
    where.values,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_at, last.id]) : null };
}
