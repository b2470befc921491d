// Files sent during a chat: metadata rows; the bytes live under the upload directory.

import type { Queryable } from './db.js';
import { keysetPage, type PageRequest } from './keyset.js';
import { SqlWhere } from './sql-where.js';

export interface Attachment {
  id: string;
  chatId: string;
  filename: string;
  contentType: string;
  size: number;
  /** Relative to the upload directory. */
  path: string;
  uploadedBy: string | null;
  uploadedAt: string;
}

export type NewAttachment = Omit<Attachment, 'uploadedAt'>;

interface AttachmentRow {
  id: string;
  chat_id: string;
  filename: string;
  content_type: string;
  size: string;
  path: string;
  uploaded_by: string | null;
  uploaded_at: Date;
}

function toAttachment(r: AttachmentRow): Attachment {
  return {
    id: r.id,
    chatId: r.chat_id,
    filename: r.filename,
    contentType: r.content_type,
    size: Number(r.size),
    path: r.path,
    uploadedBy: r.uploaded_by,
    uploadedAt: r.uploaded_at.toISOString(),
  };
}

export async function insertAttachments(q: Queryable, items: NewAttachment[], at: Date): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const a of items) {
    const { rows } = await q.query<AttachmentRow>(
      `INSERT INTO attachments (id, chat_id, filename, content_type, size, path, uploaded_by, uploaded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [a.id, a.chatId, a.filename, a.contentType, a.size, a.path, a.uploadedBy, at],
    );
    out.push(toAttachment(rows[0]!));
  }
  return out;
}

/** One page of a chat's attachments, oldest first. */
export async function listAttachments(q: Queryable, chatId: string, page: PageRequest): Promise<{ items: Attachment[]; nextCursor: string | null }> {
  const { rows, nextCursor } = await keysetPage<AttachmentRow>(q, { select: '*', from: 'attachments', where: new SqlWhere().and('chat_id = ?', chatId) },
    { columns: [['uploaded_at', 'timestamptz'], ['id', 'uuid']] }, page);
  return { items: rows.map(toAttachment), nextCursor };
}

export async function getAttachment(q: Queryable, chatId: string, id: string): Promise<Attachment | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await q.query<AttachmentRow>('SELECT * FROM attachments WHERE chat_id = $1 AND id = $2', [chatId, id]);
  return rows[0] ? toAttachment(rows[0]) : undefined;
}
