// What became of a return's e-mails, on its timeline (seed 002: every e-mail the client
// received is in the history): each entry shows the current status of the mails it queued,
// and a mail that bounced or failed adds an event agents notice.

import path from 'node:path';
import type { Queryable } from '../store/db.js';
import type { MailRow } from '../mail/store.js';
import { insertEntry } from './timeline.js';

export interface MailOutcome { id: string; to: string; status: string; lastError: string | null; sentAt: string | null }

/** The mail ids an entry's data names (notice, reply, invitation, third-party copies, late receipt). */
export function mailIdsOf(data: Record<string, unknown>): string[] {
  const ids: unknown[] = [data.mailId, data.lateNoticeMailId, (data.email as { mailId?: unknown } | undefined)?.mailId];
  for (const list of [data.recipients, data.thirdPartyCopies]) {
    if (Array.isArray(list)) ids.push(...list.map((r) => (r as { mailId?: unknown }).mailId));
  }
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
}

export async function returnMailOutcomes(q: Queryable, returnId: string): Promise<Map<string, MailOutcome>> {
  const { rows } = await q.query<{ id: string; to_address: string; status: string; last_error: string | null; sent_at: Date | null }>(
    'SELECT id, to_address, status, last_error, sent_at FROM mail_messages WHERE return_id = $1', [returnId]);
  return new Map(rows.map((r) => [r.id, { id: r.id, to: r.to_address, status: r.status, lastError: r.last_error, sentAt: r.sent_at?.toISOString() ?? null }]));
}

const OUTCOME_TEXT: Record<'bounced' | 'failed', (to: string) => string> = {
  bounced: (to) => `E-mail para ${to} devolvido: o servidor do destinatário recusou a mensagem.`,
  failed: (to) => `E-mail para ${to} não enviado: falhou em todas as tentativas.`,
};

/** A return's mail ended badly: the timeline says so, for the agents. */
export async function recordMailTrouble(q: Queryable, mail: MailRow, status: 'bounced' | 'failed', reason: string, at: Date): Promise<void> {
  if (!mail.return_id) return;
  await insertEntry(q, mail.return_id, {
    kind: 'event', authorKind: 'system', event: `mail_${status}`, channel: 'email', text: OUTCOME_TEXT[status](mail.to_address),
    visibleToClient: false, data: { mailId: mail.id, kind: mail.kind, reason }, at,
  });
}

/** The files a mail carries, from the return's uploads (a file erased since is left out). */
export async function mailAttachmentFiles(q: Queryable, uploadDir: string, ids: string[]): Promise<Array<{ filename: string; contentType: string; path: string }>> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<{ filename: string; content_type: string; path: string }>(
    'SELECT filename, content_type, path FROM return_attachments WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)', [ids]);
  return rows.map((r) => ({ filename: r.filename, contentType: r.content_type, path: path.join(uploadDir, r.path) }));
}
