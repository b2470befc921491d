// One message of a hosted chat, returned as written so it can be shown and published live.

import type { Queryable } from './db.js';
import { decodeCursor, encodeCursor, isSerial, isTimestamp, pageLimit } from '../admin/cursor.js';

export interface ChatMessage {
  id: string;
  at: string;
  from: 'client' | 'agent' | 'system';
  authorName: string | null;
  agentId: string | null;
  text: string;
  /** Agent-only notes: never in the client's transcript. */
  private: boolean;
}

export interface NewChatMessage {
  from: ChatMessage['from'];
  text: string;
  authorName?: string | null;
  agentId?: string | null;
  private?: boolean;
}

interface MessageRow { id: string; at: Date; sender: ChatMessage['from']; author_name: string | null; agent_id: string | null; text: string; private: boolean }

function toMessage(r: MessageRow): ChatMessage {
  return { id: String(r.id), at: r.at.toISOString(), from: r.sender, authorName: r.author_name, agentId: r.agent_id, text: r.text, private: r.private };
}

export async function addMessage(q: Queryable, chatId: string, m: NewChatMessage, at: Date): Promise<ChatMessage> {
  const { rows } = await q.query<MessageRow>(
    `INSERT INTO messages (chat_id, at, sender, author_name, agent_id, text, private) VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING id, at, sender, author_name, agent_id, text, private`,
    [chatId, at, m.from, m.authorName ?? null, m.agentId ?? null, m.text, m.private ?? false],
  );
  return toMessage(rows[0]!);
}

/** One page of a chat's messages, oldest first, keyed on (at, id) with `at` at microseconds. */
export async function chatMessagePage(
  q: Queryable, chatId: string, includePrivate: boolean, page: { limit?: number; cursor?: string },
): Promise<{ items: ChatMessage[]; nextCursor: string | null }> {
  const limit = pageLimit(page.limit);
  const values: unknown[] = [chatId];
  let after = '';
  if (page.cursor) {
    const [at, id] = decodeCursor<[string, string]>(page.cursor, [isTimestamp, isSerial]);
    values.push(at, id);
    after = 'AND (at, id) > ($2::timestamptz, $3::bigint)';
  }
  const { rows } = await q.query<MessageRow & { cursor_at: string }>(
    `SELECT id, at, sender, author_name, agent_id, text, private, to_json(at) #>> '{}' AS cursor_at FROM messages
     WHERE chat_id = $1 ${includePrivate ? '' : 'AND NOT private'} ${after} ORDER BY at, id LIMIT ${limit + 1}`,
    values,
  );
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(toMessage), nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_at, String(last.id)]) : null };
}

export async function chatMessages(q: Queryable, chatId: string, includePrivate: boolean): Promise<ChatMessage[]> {
  const { rows } = await q.query<MessageRow>(
    `SELECT id, at, sender, author_name, agent_id, text, private FROM messages WHERE chat_id = $1 ${includePrivate ? '' : 'AND NOT private'} ORDER BY at, id`,
    [chatId],
  );
  return rows.map(toMessage);
}
