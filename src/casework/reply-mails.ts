// The e-mails a reply asks for, queued in the reply's transaction: to the client
// (sendByEmail) and a copy to each third party (copyThirdParties, one timeline event naming
// them all). The reply entry's data records the mail ids.

import { ValidationError } from '../errors.js';
import type { Queryable } from '../store/db.js';
import { replyMail, thirdPartyCopyMail } from '../mail/compose.js';
import { queueMail } from '../mail/queue.js';
import type { ReturnRow } from '../returns/store.js';
import { insertEntry, type TimelineRow } from '../returns/timeline.js';
import { auditReturn } from '../returns/audit.js';
import { listThirdPartyRows } from './third-parties.js';

export interface ReplyMailOptions { sendByEmail: boolean; copyThirdParties: boolean; actor: string }

type AfterReply = (q: Queryable, row: ReturnRow, entry: TimelineRow, at: Date) => Promise<TimelineRow>;

export function mailReply(o: ReplyMailOptions): AfterReply | undefined {
  if (!o.sendByEmail && !o.copyThirdParties) return undefined;
  return async (q, row, entry, at) => {
    const facts = { returnSubject: row.subject, author: entry.author ?? o.actor, text: entry.text, html: entry.html };
    const data: Record<string, unknown> = {};
    if (o.sendByEmail) {
      const mail = await queueMail(q, { kind: 'reply', returnId: row.id, to: row.client_email, toName: row.contact_person, ...replyMail(facts) }, at);
      data.email = { to: row.client_email, mailId: mail.id };
    }
    if (o.copyThirdParties) {
      const parties = await listThirdPartyRows(q, row.id);
      if (!parties.length) throw ValidationError.field('copyThirdParties', 'no third party is invited to this return (POST /v1/returns/:id/third-parties)', 'NO_THIRD_PARTIES');
      const copies: Array<{ email: string; mailId: string }> = [];
      for (const p of parties) {
        const mail = await queueMail(q, { kind: 'third_party_copy', returnId: row.id, to: p.email, toName: p.name, ...thirdPartyCopyMail({ ...facts, name: p.name }) }, at);
        copies.push({ email: p.email, mailId: mail.id });
      }
      const emails = copies.map((c) => c.email);
      await insertEntry(q, row.id, { kind: 'event', authorKind: 'agent', author: o.actor, event: 'third_party_copied', channel: 'email', text: `Cópia da resposta enviada para ${emails.join(', ')}`, visibleToClient: false, data: { entryId: String(entry.id), recipients: copies }, at });
      await auditReturn(q, { actor: o.actor, action: 'return.copied_to_third_parties', returnId: row.id, changes: { thirdPartyCopies: { from: null, to: emails } }, at });
      data.thirdPartyCopies = copies;
    }
    const { rows } = await q.query<TimelineRow>('UPDATE return_timeline SET data = data || $2::jsonb WHERE id = $1 RETURNING *', [entry.id, JSON.stringify(data)]);
    return rows[0]!;
  };
}
