// Remote-access sessions and the history of their states.

import type { Queryable } from '../../store/db.js';
import { keysetPage, type PageRequest } from '../../store/keyset.js';
import { SqlWhere } from '../../store/sql-where.js';
import type { RemoteState } from '../contracts.js';

export interface RemoteSessionRow {
  id: string;
  chat_id: string;
  agent_id: string;
  provider: string;
  provider_session_id: string | null;
  access_code: string | null;
  link: string | null;
  state: RemoteState;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface RemoteSessionView {
  id: string;
  chatId: string;
  agentId: string;
  provider: string;
  providerSessionId: string | null;
  /** Null until the provider has created the session. */
  accessCode: string | null;
  link: string | null;
  state: RemoteState;
  /** Provider calls made to create it (retries included). */
  attempts: number;
  /** Why it failed; while creation is being retried, the last attempt's failure. */
  error: { code: string; message: string } | null;
  history: Array<{ state: RemoteState; at: string }>;
  createdAt: string;
  updatedAt: string;
}

type RowWithHistory = RemoteSessionRow & { history: Array<{ state: RemoteState; at: string }> };

const HISTORY_COLUMNS = `s.*, COALESCE((SELECT json_agg(json_build_object('state', h.state, 'at', h.at) ORDER BY h.id)
  FROM remote_session_states h WHERE h.session_id = s.id), '[]'::json) AS history`;
const WITH_HISTORY = `SELECT ${HISTORY_COLUMNS} FROM remote_sessions s`;

export function toRemoteSessionView(r: RowWithHistory): RemoteSessionView {
  return {
    id: r.id,
    chatId: r.chat_id,
    agentId: r.agent_id,
    provider: r.provider,
    providerSessionId: r.provider_session_id,
    accessCode: r.access_code,
    link: r.link,
    state: r.state,
    attempts: r.attempts,
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
    history: r.history.map((h) => ({ state: h.state, at: new Date(h.at).toISOString() })),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function insertRemoteSession(q: Queryable, s: { chatId: string; agentId: string; provider: string }): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    "INSERT INTO remote_sessions (chat_id, agent_id, provider, state) VALUES ($1, $2, $3, 'waiting') RETURNING id",
    [s.chatId, s.agentId, s.provider],
  );
  await recordState(q, rows[0]!.id, 'waiting');
  return rows[0]!.id;
}

export async function recordState(q: Queryable, sessionId: string, state: RemoteState): Promise<void> {
  await q.query('INSERT INTO remote_session_states (session_id, state) VALUES ($1, $2)', [sessionId, state]);
}

export async function remoteSessionView(q: Queryable, id: string): Promise<RemoteSessionView> {
  const { rows } = await q.query<RowWithHistory>(`${WITH_HISTORY} WHERE s.id = $1`, [id]);
  return toRemoteSessionView(rows[0]!);
}

/** One page of a chat's sessions, oldest first. */
export async function chatRemoteSessions(q: Queryable, chatId: string, page: PageRequest): Promise<{ items: RemoteSessionView[]; nextCursor: string | null }> {
  const { rows, nextCursor } = await keysetPage<RowWithHistory>(q, { select: HISTORY_COLUMNS, from: 'remote_sessions s', where: new SqlWhere().and('s.chat_id = ?', chatId) },
    { columns: [['s.created_at', 'timestamptz'], ['s.id', 'uuid']] }, page);
  return { items: rows.map(toRemoteSessionView), nextCursor };
}

/** Locks the row: a state change and its history line are written by one transaction at a time. */
export async function lockRemoteSession(q: Queryable, id: string): Promise<RemoteSessionRow | undefined> {
  const { rows } = await q.query<RemoteSessionRow>('SELECT * FROM remote_sessions WHERE id = $1 FOR UPDATE', [id]);
  return rows[0];
}

export async function remoteSessionIdOf(q: Queryable, providerSessionId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM remote_sessions WHERE provider_session_id = $1', [providerSessionId]);
  return rows[0]?.id;
}

/** State, attempts and what the provider returned: what the creation job starts from. */
export async function getRemoteSession(q: Queryable, id: string): Promise<RemoteSessionRow | undefined> {
  const { rows } = await q.query<RemoteSessionRow>('SELECT * FROM remote_sessions WHERE id = $1', [id]);
  return rows[0];
}

export async function updateRemoteSession(q: Queryable, id: string, fields: Partial<Pick<RemoteSessionRow,
  'provider_session_id' | 'access_code' | 'link' | 'state' | 'attempts' | 'error_code' | 'error_message'>>): Promise<void> {
  const entries = Object.entries(fields);
  if (entries.length === 0) return;
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`);
  await q.query(`UPDATE remote_sessions SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
}

/** Sessions the provider created that can still change: what the pull asks about. */
export async function openRemoteSessions(q: Queryable, limit: number): Promise<Array<{ id: string; provider_session_id: string }>> {
  const { rows } = await q.query<{ id: string; provider_session_id: string }>(
    `SELECT id, provider_session_id FROM remote_sessions
     WHERE state IN ('waiting', 'connected') AND provider_session_id IS NOT NULL ORDER BY updated_at LIMIT $1`,
    [limit],
  );
  return rows;
}
