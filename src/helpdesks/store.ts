// SQL of helpdesk adapters: deliveries received (one per helpdesk delivery id), the chat each
// conversation became, and the internal notes ponte adds back with every attempt.

import type { Queryable } from '../store/db.js';
import type { DeliveryState } from '../webhooks/store.js';
import { SqlWhere } from '../store/sql-where.js';
import { decodeCursor, encodeCursor, isTimestamp, isUuid, pageLimit } from '../admin/cursor.js';

export type Conversation = Record<string, string | number>;

export interface DeliveryRow {
  id: string;
  helpdesk: string;
  delivery_id: string;
  external_id: string;
  status: 'completing' | 'ingested' | 'existing';
  payload: unknown;
  conversation: Conversation;
  chat_id: string | null;
  attempts: number;
  last_error: string | null;
  completion_error: string | null;
  replays: number;
  received_at: Date;
  updated_at: Date;
}

export interface NoteRow extends DeliveryState {
  id: string;
  helpdesk: string;
  chat_id: string | null;
  integration_id: string | null;
  conversation: Conversation;
  kind: string;
  source_key: string;
  text: string;
}

export interface Page<T> { items: T[]; nextCursor: string | null }

export async function findDelivery(q: Queryable, helpdesk: string, deliveryId: string): Promise<DeliveryRow | undefined> {
  const { rows } = await q.query<DeliveryRow>('SELECT * FROM helpdesk_deliveries WHERE helpdesk = $1 AND delivery_id = $2', [helpdesk, deliveryId]);
  return rows[0];
}

export async function getDelivery(q: Queryable, id: string, forUpdate = false): Promise<DeliveryRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<DeliveryRow>(`SELECT * FROM helpdesk_deliveries WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

/** The new row, or undefined when this delivery id was already recorded (a concurrent redelivery). */
export async function insertDelivery(
  q: Queryable,
  d: { helpdesk: string; deliveryId: string; externalId: string; status: DeliveryRow['status']; payload?: unknown; conversation: Conversation; chatId?: string; completionError?: string },
): Promise<DeliveryRow | undefined> {
  const { rows } = await q.query<DeliveryRow>(
    `INSERT INTO helpdesk_deliveries (helpdesk, delivery_id, external_id, status, payload, conversation, chat_id, completion_error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (helpdesk, delivery_id) DO NOTHING RETURNING *`,
    [d.helpdesk, d.deliveryId, d.externalId, d.status, d.payload === undefined ? null : JSON.stringify(d.payload), JSON.stringify(d.conversation), d.chatId ?? null, d.completionError ?? null],
  );
  return rows[0];
}

type DeliveryFields = Partial<Pick<DeliveryRow, 'status' | 'chat_id' | 'attempts' | 'last_error' | 'completion_error' | 'replays'>> & { payload?: null };

export async function updateDelivery(q: Queryable, id: string, fields: DeliveryFields): Promise<void> {
  const keys = Object.keys(fields) as Array<keyof DeliveryFields>;
  const sets = keys.map((k, i) => `${k} = $${i + 2}`);
  await q.query(`UPDATE helpdesk_deliveries SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, [id, ...keys.map((k) => fields[k])]);
}

export async function listDeliveries(q: Queryable, filter: { helpdesk?: string; status?: string }, page: { limit?: number; cursor?: string }): Promise<Page<DeliveryRow>> {
  return listPage<DeliveryRow>(q, 'helpdesk_deliveries', 'received_at', filter, page, DELIVERY_COLUMNS);
}

/** A list never carries the payloads a delivery keeps while its message list is read. */
const DELIVERY_COLUMNS = 'id, helpdesk, delivery_id, external_id, status, conversation, chat_id, attempts, last_error, completion_error, replays, received_at, updated_at';

export async function chatIdOf(q: Queryable, externalId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM chats WHERE external_id = $1', [externalId]);
  return rows[0]?.id;
}

export async function linkConversation(q: Queryable, chatId: string, helpdesk: string, conversation: Conversation): Promise<void> {
  await q.query(
    'INSERT INTO helpdesk_conversations (chat_id, helpdesk, conversation) VALUES ($1, $2, $3) ON CONFLICT (chat_id) DO NOTHING',
    [chatId, helpdesk, JSON.stringify(conversation)],
  );
}

export async function conversationOf(q: Queryable, chatId: string): Promise<{ helpdesk: string; conversation: Conversation } | undefined> {
  const { rows } = await q.query<{ helpdesk: string; conversation: Conversation }>('SELECT helpdesk, conversation FROM helpdesk_conversations WHERE chat_id = $1', [chatId]);
  return rows[0];
}

/** The note's id, or undefined when one with this source key exists (a rerun of what caused it). */
export async function insertNote(
  q: Queryable,
  n: { helpdesk: string; chatId: string | null; integrationId?: string | null; conversation: Conversation; kind: string; sourceKey: string; text: string },
): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO helpdesk_notes (helpdesk, chat_id, integration_id, conversation, kind, source_key, text, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') ON CONFLICT (source_key) DO NOTHING RETURNING id`,
    [n.helpdesk, n.chatId, n.integrationId ?? null, JSON.stringify(n.conversation), n.kind, n.sourceKey, n.text],
  );
  return rows[0]?.id;
}

export async function getNote(q: Queryable, id: string, forUpdate = false): Promise<NoteRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<NoteRow>(`SELECT * FROM helpdesk_notes WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

type NoteFields = Partial<Pick<NoteRow, 'status' | 'attempts' | 'replays' | 'next_attempt_at' | 'last_error' | 'delivered_at'>>;

export async function updateNote(q: Queryable, id: string, fields: NoteFields): Promise<void> {
  const keys = Object.keys(fields) as Array<keyof NoteFields>;
  const sets = keys.map((k, i) => `${k} = $${i + 2}`);
  await q.query(`UPDATE helpdesk_notes SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, [id, ...keys.map((k) => fields[k])]);
}

export interface NoteAttempt {
  noteId: string;
  attempt: number;
  replay: number;
  startedAt: Date;
  durationMs: number;
  statusCode?: number;
  responseExcerpt?: string;
  errorCode?: string;
  errorMessage?: string;
  outcome: 'delivered' | 'found' | 'retrying' | 'failed';
}

export async function insertNoteAttempt(q: Queryable, a: NoteAttempt): Promise<void> {
  await q.query(
    `INSERT INTO helpdesk_note_attempts (note_id, attempt, replay, started_at, duration_ms, status_code, response_excerpt, error_code, error_message, outcome)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [a.noteId, a.attempt, a.replay, a.startedAt, a.durationMs, a.statusCode ?? null, a.responseExcerpt ?? null, a.errorCode ?? null, a.errorMessage ?? null, a.outcome],
  );
}

export async function listNoteAttempts(q: Queryable, noteId: string): Promise<Array<Record<string, unknown>>> {
  const { rows } = await q.query(
    `SELECT attempt, replay, started_at, duration_ms, status_code, response_excerpt, error_code, error_message, outcome
     FROM helpdesk_note_attempts WHERE note_id = $1 ORDER BY id`,
    [noteId],
  );
  return rows.map((r) => ({
    attempt: r.attempt, replay: r.replay, startedAt: r.started_at, durationMs: r.duration_ms, statusCode: r.status_code,
    responseExcerpt: r.response_excerpt, errorCode: r.error_code, errorMessage: r.error_message, outcome: r.outcome,
  }));
}

export async function listNotes(q: Queryable, filter: { helpdesk?: string; status?: string; chatId?: string }, page: { limit?: number; cursor?: string }): Promise<Page<NoteRow>> {
  return listPage<NoteRow>(q, 'helpdesk_notes', 'created_at', filter, page, '*');
}

/** Newest first, keyset-paged on (time column, id); the cursor keeps the time at full precision. */
async function listPage<T extends { id: string }>(
  q: Queryable,
  table: 'helpdesk_deliveries' | 'helpdesk_notes',
  at: 'received_at' | 'created_at',
  filter: { helpdesk?: string; status?: string; chatId?: string },
  page: { limit?: number; cursor?: string },
  columns: string,
): Promise<Page<T>> {
  const limit = pageLimit(page.limit);
  const where = new SqlWhere();
  if (filter.helpdesk) where.and('helpdesk = ?', filter.helpdesk);
  if (filter.status) where.and('status = ?', filter.status);
  if (filter.chatId) where.and(isUuid(filter.chatId) ? 'chat_id = ?::uuid' : 'false', filter.chatId);
  if (page.cursor) {
    const [time, id] = decodeCursor<[string, string]>(page.cursor, [isTimestamp, isUuid]);
    where.and(`(${at}, id) < (?::timestamptz, ?::uuid)`, time, id);
  }
  const { rows } = await q.query<T & { cursor_at: string }>(
    `SELECT ${columns}, to_json(${at}) #>> '{}' AS cursor_at FROM ${table} ${where} ORDER BY ${at} DESC, id DESC LIMIT ${where.param(limit + 1)}`,
    where.values,
  );
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_at, last.id]) : null };
}
