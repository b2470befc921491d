// The record of every e-mail ponte sends: what, to whom, and how its sending went (queued,
// sent, failed after its retries, or kept in the local outbox when no SMTP server is set).

import type { Queryable } from '../store/db.js';
import { isUuid } from '../store/integrations.js';
import { SqlWhere } from '../store/sql-where.js';

export const MAIL_STATUSES = ['queued', 'sent', 'failed', 'kept'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** What a mail is about: the return notice, a reply to the client, a third party's invitation or copy. */
export type MailKind = 'return_notice' | 'reply' | 'third_party_invite' | 'third_party_copy';

export interface MailRow {
  id: string;
  kind: MailKind;
  return_id: string | null;
  to_address: string;
  to_name: string | null;
  subject: string;
  text: string;
  html: string;
  status: MailStatus;
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface NewMail { kind: MailKind; returnId: string | null; to: string; toName?: string | null; subject: string; text: string; html: string }

export async function insertMail(q: Queryable, m: NewMail, at: Date): Promise<MailRow> {
  const { rows } = await q.query<MailRow>(
    `INSERT INTO mail_messages (kind, return_id, to_address, to_name, subject, text, html, status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $8) RETURNING *`,
    [m.kind, m.returnId, m.to, m.toName ?? null, m.subject, m.text, m.html, at],
  );
  return rows[0]!;
}

export async function getMail(q: Queryable, id: string): Promise<MailRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<MailRow>('SELECT * FROM mail_messages WHERE id = $1', [id]);
  return rows[0];
}

export type MailPatch = Partial<Pick<MailRow, 'status' | 'attempts' | 'last_error' | 'message_id' | 'sent_at'>>;

export async function updateMail(q: Queryable, id: string, patch: MailPatch, at: Date): Promise<void> {
  const keys = Object.keys(patch) as Array<keyof MailPatch>;
  await q.query(
    `UPDATE mail_messages SET ${[...keys.map((k, i) => `${k} = $${i + 3}`), 'updated_at = $2'].join(', ')} WHERE id = $1`,
    [id, at, ...keys.map((k) => patch[k])],
  );
}

export interface MailFilter {
  status?: MailStatus;
  returnId?: string;
  to?: string;
  limit: number;
  /** Keyset: rows strictly after this (created_at, id) in newest-first order. */
  after?: { createdAt: string; id: string };
}

export async function listMail(q: Queryable, f: MailFilter): Promise<MailRow[]> {
  const where = new SqlWhere();
  if (f.status) where.and('status = ?', f.status);
  if (f.returnId) where.and('return_id = ?::uuid', f.returnId);
  if (f.to) where.and('to_address = ?', f.to.toLowerCase());
  if (f.after) where.and('(created_at, id) < (?::timestamptz, ?::uuid)', f.after.createdAt, f.after.id);
  const { rows } = await q.query<MailRow>(
    `SELECT * FROM mail_messages ${where} ORDER BY created_at DESC, id DESC LIMIT ${where.param(f.limit)}`,
    where.values,
  );
  return rows;
}

export function mailView(m: MailRow) {
  return {
    id: m.id, kind: m.kind, returnId: m.return_id, to: m.to_address, toName: m.to_name, subject: m.subject, text: m.text, html: m.html,
    status: m.status, attempts: m.attempts, lastError: m.last_error, messageId: m.message_id,
    sentAt: m.sent_at?.toISOString() ?? null, createdAt: m.created_at.toISOString(), updatedAt: m.updated_at.toISOString(),
  };
}
