// The record of every e-mail ponte sends: what, to whom, and how its sending went (queued,
// sent, failed after its retries, or kept in the local outbox when no SMTP server is set).

import type { Queryable } from '../store/db.js';
import { isUuid } from '../store/integrations.js';
import { SqlWhere } from '../store/sql-where.js';
import { withoutLinks } from './secret-links.js';
import { keysetPage, type Page, type PageRequest } from '../store/keyset.js';

export const MAIL_STATUSES = ['queued', 'sent', 'failed', 'bounced', 'kept'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** What a mail is about: the return notice, a reply to the client, a third party's invitation or copy, a late answer's receipt. */
export type MailKind = 'return_notice' | 'reply' | 'third_party_invite' | 'third_party_copy' | 'late_answer';

export interface MailRow {
  id: string;
  kind: MailKind;
  return_id: string | null;
  to_address: string;
  to_name: string | null;
  subject: string;
  text: string;
  html: string;
  /** The mail's secret links (portal link, file links), sealed, until it is sent: bodies hold secretLinkPlaceholder(i) instead. */
  secret_link: string | null;
  status: MailStatus;
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  sent_at: Date | null;
  /** Files of the return attached to it. */
  attachment_ids: string[];
  created_at: Date;
  updated_at: Date;
}

export interface NewMail { kind: MailKind; returnId: string | null; to: string; toName?: string | null; subject: string; text: string; html: string; attachmentIds?: string[]; secretLink?: string | null }


export async function insertMail(q: Queryable, m: NewMail, at: Date): Promise<MailRow> {
  const { rows } = await q.query<MailRow>(
    `INSERT INTO mail_messages (kind, return_id, to_address, to_name, subject, text, html, secret_link, status, attachment_ids, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $10, $9, $9) RETURNING *`,
    [m.kind, m.returnId, m.to, m.toName ?? null, m.subject, m.text, m.html, m.secretLink ?? null, at, m.attachmentIds ?? []],
  );
  return rows[0]!;
}

export async function getMail(q: Queryable, id: string): Promise<MailRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<MailRow>('SELECT * FROM mail_messages WHERE id = $1', [id]);
  return rows[0];
}

export type MailPatch = Partial<Pick<MailRow, 'status' | 'attempts' | 'last_error' | 'message_id' | 'sent_at' | 'secret_link'>>;

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
}

/** One page, newest first, keyed on (created_at at microseconds, id). */
export async function listMail(q: Queryable, f: MailFilter, page: PageRequest): Promise<Page<MailRow>> {
  const where = new SqlWhere();
  if (f.status) where.and('status = ?', f.status);
  if (f.returnId) where.and('return_id = ?::uuid', f.returnId);
  if (f.to) where.and('to_address = ?', f.to.toLowerCase());
  return keysetPage<MailRow>(q, { select: '*', from: 'mail_messages', where }, { columns: [['created_at', 'timestamptz'], ['id', 'uuid']], desc: true }, page);
}

export function mailView(m: MailRow) {
  return {
    id: m.id, kind: m.kind, returnId: m.return_id, to: m.to_address, toName: m.to_name, subject: m.subject,
    text: withoutLinks(m.text), html: withoutLinks(m.html),
    status: m.status, attempts: m.attempts, lastError: m.last_error, messageId: m.message_id, attachmentIds: m.attachment_ids,
    sentAt: m.sent_at?.toISOString() ?? null, createdAt: m.created_at.toISOString(), updatedAt: m.updated_at.toISOString(),
  };
}

/** The mail a Message-ID names (a bounce report quotes it), if it is one of ours. */
export async function getMailByMessageId(q: Queryable, messageId: string): Promise<MailRow | undefined> {
  const { rows } = await q.query<MailRow>('SELECT * FROM mail_messages WHERE message_id = $1', [messageId.trim()]);
  return rows[0];
}
