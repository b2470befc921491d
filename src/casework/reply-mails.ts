// The e-mails a reply asks for, queued in the reply's transaction: to the client
// (sendByEmail) and a copy to each third party (copyThirdParties, one timeline event naming
// them all), with the reply's files attached or linked. The reply entry's data records the mail ids.

import { ValidationError } from '../errors.js';
import type { Queryable } from '../store/db.js';
import { replyMail, thirdPartyCopyMail } from '../mail/compose.js';
import { queueMail } from '../mail/queue.js';
import type { ReturnRow } from '../returns/store.js';
import { insertEntry, type TimelineRow } from '../returns/timeline.js';
import { auditReturn } from '../returns/audit.js';
import { listThirdPartyRows } from './third-parties.js';
import { entryFiles, issueFileLink } from '../returns/file-links.js';
import { sealLinks, secretLinkPlaceholder } from '../mail/secret-links.js';
import type { Keyring } from '../secrets/keyring.js';
import { getAgent } from '../store/agents.js';

export interface ReplyMailOptions {
  sendByEmail: boolean;
  copyThirdParties: boolean;
  actor: string;
  /** Files in the mail up to this total; beyond, links (MAIL_ATTACHMENT_MAX_BYTES). */
  attachmentMaxBytes: number;
  publicUrl: string;
  /** Seals the file links beside each mail (the stored bodies hold placeholders). */
  keyring: Keyring;
}

type AfterReply = (q: Queryable, row: ReturnRow, entry: TimelineRow, at: Date) => Promise<TimelineRow>;

/**
 * The reply's files go in the mail when they fit MAIL_ATTACHMENT_MAX_BYTES together; otherwise
 * each is a download link (the files stay on the client's portal either way), kept out of the
 * stored bodies: they hold placeholders and `urls` are sealed beside each mail.
 */
async function replyFiles(q: Queryable, o: ReplyMailOptions, returnId: string, entryId: string) {
  const all = await entryFiles(q, entryId);
  const total = all.reduce((n, f) => n + f.size, 0);
  if (total <= o.attachmentMaxBytes) return { files: { attached: all.map((f) => f.filename), links: [] }, attachmentIds: all.map((f) => f.id), urls: [] };
  const urls: string[] = [];
  for (const f of all) urls.push(await issueFileLink(q, o.publicUrl, returnId, f.id));
  const links = all.map((f, i) => ({ filename: f.filename, url: secretLinkPlaceholder(i) }));
  return { files: { attached: [], links }, attachmentIds: [], urls };
}

/** The mail is signed with the acting agent's name, not the "agent:ana via key desk" record. */
async function signature(q: Queryable, author: string): Promise<string> {
  const agentId = /^agent:(\S+) via key /.exec(author)?.[1];
  return (agentId && (await getAgent(q, agentId))?.name) || author;
}

export function mailReply(o: ReplyMailOptions): AfterReply | undefined {
  if (!o.sendByEmail && !o.copyThirdParties) return undefined;
  return async (q, row, entry, at) => {
    // The request rules refuse this already; kept here so no other caller can mail a private entry.
    if (!entry.visible_to_client) throw ValidationError.field(o.sendByEmail ? 'sendByEmail' : 'copyThirdParties', 'a reply not visible to the client is never e-mailed');
    const { files, attachmentIds, urls } = await replyFiles(q, o, row.id, String(entry.id));
    const sealed = () => sealLinks(o.keyring, urls);
    const facts = { returnSubject: row.subject, author: await signature(q, entry.author ?? o.actor), text: entry.text, html: entry.html, files };
    const data: Record<string, unknown> = files.links.length ? { filesAsLinks: files.links.map((l) => l.filename) } : {};
    if (o.sendByEmail) {
      const mail = await queueMail(q, { kind: 'reply', returnId: row.id, to: row.client_email, toName: row.contact_person, attachmentIds, secretLink: sealed(), ...replyMail(facts) }, at);
      data.email = { to: row.client_email, mailId: mail.id };
    }
    if (o.copyThirdParties) {
      const parties = await listThirdPartyRows(q, row.id);
      if (!parties.length) throw ValidationError.field('copyThirdParties', 'no third party is invited to this return (POST /v1/returns/:id/third-parties)', 'NO_THIRD_PARTIES');
      const copies: Array<{ email: string; mailId: string }> = [];
      for (const p of parties) {
        const mail = await queueMail(q, { kind: 'third_party_copy', returnId: row.id, to: p.email, toName: p.name, attachmentIds, secretLink: sealed(), ...thirdPartyCopyMail({ ...facts, name: p.name }) }, at);
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
