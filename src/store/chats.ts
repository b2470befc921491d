// Chat rows and their messages.

import type { Queryable } from './db.js';
import type { Statement } from './statement.js';
import { isUuid } from './ids.js';
import type { TranscriptLine } from '../domain/opinion.js';

export interface ChatClient {
  name: string;
  email?: string;
  phone?: string;
  clientCode?: string;
  taxId?: string;
  companyName?: string;
}

export interface ChatRow {
  id: string;
  external_id: string | null;
  status: string;
  department_id: string;
  agent_id: string | null;
  last_agent_id: string | null;
  transfer_to_agent_id: string | null;
  client: ChatClient;
  client_email: string | null;
  client_code: string | null;
  subject: string | null;
  advance_opinion: string | null;
  rating: number | null;
  close_invite_at: Date | null;
  close_invite_expires_at: Date | null;
  transfers: number;
  transfer_requested_at: Date | null;
  transfer_accepted_at: Date | null;
  transfer_expires_at: Date | null;
  transferred_from_agent_id: string | null;
  started_at: Date;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface NewMessage {
  at?: string | Date;
  sender: 'client' | 'agent' | 'system';
  authorName?: string | null;
  agentId?: string | null;
  text: string;
  private?: boolean;
}

export async function getChat(q: Queryable, id: string, forUpdate = false): Promise<ChatRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<ChatRow>(`SELECT * FROM chats WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function insertMessages(q: Queryable, chatId: string, messages: NewMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const { text, values } = insertMessagesStatement(chatId, messages);
  await q.query(text, values);
}

/** insertMessages as one statement (every message in one row set), to be sent with the chat. */
export function insertMessagesStatement(chatId: string, messages: NewMessage[]): Statement {
  const rows = messages.map((m) => ({
    at: m.at ? new Date(m.at).toISOString() : new Date().toISOString(),
    sender: m.sender,
    author_name: m.authorName ?? null,
    agent_id: m.agentId ?? null,
    text: m.text,
    private: m.private ?? false,
  }));
  return {
    text: `INSERT INTO messages (chat_id, at, sender, author_name, agent_id, text, private)
     SELECT $1::uuid, x.at, x.sender, x.author_name, x.agent_id, x.text, x.private
     FROM json_to_recordset($2::json) AS x(at timestamptz, sender text, author_name text, agent_id text, text text, private boolean)`,
    values: [chatId, JSON.stringify(rows)],
  };
}

export interface OpinionSources { advanceOpinion: string | null; clientName: string | null; messages: TranscriptLine[] }

/**
 * The columns an opinion is built from, over a query that joins the chat as `c`: its advance
 * opinion and client name, and (only where the SQL condition `withMessages` holds) its
 * client-visible messages in order, for the transcript.
 */
export function opinionSourceColumns(withMessages: string): string {
  return `c.advance_opinion AS source_advance_opinion, c.client->>'name' AS source_client_name,
       CASE WHEN ${withMessages} THEN (
         SELECT coalesce(json_agg(json_build_array(extract(epoch FROM m.at) * 1000, m.sender, m.author_name, m.text) ORDER BY m.at, m.id), '[]'::json)
           FROM messages m WHERE m.chat_id = c.id AND NOT m.private) END AS source_messages`;
}

/** The row's opinion sources (the columns of opinionSourceColumns). */
export function opinionSourcesOf(r: { source_advance_opinion: string | null; source_client_name: string | null; source_messages: unknown }): OpinionSources {
  const messages = ((r.source_messages ?? []) as Array<[number, TranscriptLine['sender'], string | null, string]>).map(([at, sender, authorName, text]) => ({ at: new Date(Number(at)), sender, authorName, text }));
  return { advanceOpinion: r.source_advance_opinion, clientName: r.source_client_name, messages };
}

/** What an opinion is built from, in one statement (messages only when asked). */
export async function chatOpinionSources(q: Queryable, id: string, withMessages: boolean): Promise<OpinionSources | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query(`SELECT ${opinionSourceColumns('$2::boolean')} FROM chats c WHERE c.id = $1`, [id, withMessages]);
  return rows[0] ? opinionSourcesOf(rows[0] as Parameters<typeof opinionSourcesOf>[0]) : undefined;
}

export async function listMessages(q: Queryable, chatId: string, includePrivate = true): Promise<Array<TranscriptLine & { id: string; agentId: string | null }>> {
  const { rows } = await q.query(
    `SELECT id, at, sender, author_name, agent_id, text, private FROM messages WHERE chat_id = $1 ${includePrivate ? '' : 'AND NOT private'} ORDER BY at, id`,
    [chatId],
  );
  return rows.map((r) => ({ id: String(r.id), at: r.at, sender: r.sender, authorName: r.author_name, agentId: r.agent_id, text: r.text, private: r.private }));
}
