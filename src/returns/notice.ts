// The notice that tells the client about a return (on creation and on each resend): a timeline
// event and the e-mail with the portal link, queued in the same transaction (src/mail/).
// Only the token's hash is stored, so a resend cannot repeat the first link: it issues a new
// token (the previous link stops working, and the mail says so). A revoked portal access is
// not restored by a resend: that mail carries no link.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { NotFoundError } from '../errors.js';
import { noticeMail } from '../mail/compose.js';
import { queueMail } from '../mail/queue.js';
import { sealLinks, secretLinkPlaceholder } from '../mail/secret-links.js';
import { getReturn, updateReturn } from './store.js';
import { insertEntry, type TimelineRow } from './timeline.js';
import { newPortalToken, portalUrl } from './portal-token.js';

export interface ReturnNotice {
  returnId: string;
  clientEmail: string;
  subject: string;
  reason: 'created' | 'resend';
  actor: string;
  /** Only known when a token was just issued (creation, rotation); never stored. */
  portalUrl?: string;
  at: Date;
}

export async function queueReturnNotice(q: Queryable, deps: Deps, notice: ReturnNotice): Promise<TimelineRow> {
  const row = await getReturn(q, notice.returnId);
  if (!row) throw new NotFoundError('return', notice.returnId);
  let link = notice.portalUrl ?? null;
  const linkRenewed = link === null && row.portal_token_hash !== null;
  if (linkRenewed) {
    const portal = newPortalToken();
    await updateReturn(q, row.id, { portal_token_hash: portal.hash }, notice.at);
    link = portalUrl(deps.config.publicUrl, row.id, portal.token);
  }
  const composed = noticeMail({
    subject: row.subject, description: row.description, contactPerson: row.contact_person, validUntil: row.valid_until,
    portalUrl: link ? secretLinkPlaceholder(0) : null, reason: notice.reason, linkRenewed,
  });
  // The link itself waits sealed beside the mail until it is sent (src/mail/jobs.ts).
  const secretLink = sealLinks(deps.keyring, link ? [link] : []);
  const mail = await queueMail(q, { kind: 'return_notice', returnId: row.id, to: notice.clientEmail, toName: row.contact_person, ...composed, secretLink }, notice.at);
  const resend = notice.reason === 'resend';
  return insertEntry(q, notice.returnId, {
    kind: 'event',
    authorKind: resend ? 'agent' : 'system',
    author: notice.actor,
    event: resend ? 'resent' : 'notice_queued',
    channel: 'email',
    text: resend
      ? `Aviso reenviado para ${notice.clientEmail}${linkRenewed ? ' (com um novo link do portal)' : link ? '' : ' (sem link: acesso ao portal revogado)'}`
      : `Aviso do retorno por e-mail para ${notice.clientEmail}`,
    visibleToClient: false,
    data: { mailId: mail.id, ...(linkRenewed ? { portalLinkRenewed: true } : {}) },
    at: notice.at,
  });
}
