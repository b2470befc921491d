// Where an inbound e-mail reply goes (seed 002): the client's (or an invited third party's)
// reply is applied like a portal answer; after the return's validity it is recorded, not
// applied, and the sender is told; from anyone else it is held on the timeline until an agent
// accepts it — a stranger's mail never reaches the ERP on its own.

import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { isExpired } from '../domain/return-rules.js';
import { plainText } from '../domain/return-format.js';
import { formatSaoPaulo } from '../domain/sao-paulo-time.js';
import { lateAnswerMail } from '../mail/compose.js';
import { queueMail } from '../mail/queue.js';
import { listThirdPartyRows } from '../casework/third-parties.js';
import { loadReturn } from './service.js';
import { splitReplyInSlices, type InboundEmail } from './inbound-email.js';
import { applyClientMessage, recordClientMessage } from './client-messages.js';
import { entryView, getEntry, insertEntry, type TimelineRow } from './timeline.js';
import { auditReturn } from './audit.js';
import { lockReturn } from './lifecycle.js';

/** The address of `From:` ("João <joao@x.com>" or a bare address), lower-cased. */
export function senderAddress(from: string): string {
  const bracketed = /<([^<>\s]+@[^<>\s]+)>/.exec(from);
  return plainText(bracketed?.[1] ?? from).trim().toLowerCase();
}

export async function receiveInboundEmail(deps: Deps, returnId: string, input: InboundEmail, actor: string) {
  const row = await loadReturn(deps, returnId);
  const { text, quoted } = await splitReplyInSlices(input.rawText);
  if (!text) throw ValidationError.field('rawText', 'has no text once sanitized');
  const from = senderAddress(input.from);
  const parties = await listThirdPartyRows(deps.db, returnId);
  const known = from === row.client_email || parties.some((p) => p.email === from);
  const now = deps.clock.now();
  if (known && !isExpired(row.valid_until, now)) return recordClientMessage(deps, returnId, { channel: 'email', author: from, text, quoted, actor });

  const late = isExpired(row.valid_until, now);
  const entry = await deps.db.tx(async (q) => {
    const locked = await lockReturn(q, returnId);
    const data: Record<string, unknown> = late ? { late: true, validUntil: locked.valid_until.toISOString() } : {};
    if (!known) Object.assign(data, { held: true, from });
    if (late && known) {
      const mail = await queueMail(q, { kind: 'late_answer', returnId, to: from, ...lateAnswerMail({ returnSubject: locked.subject, validUntil: locked.valid_until }) }, now);
      data.lateNoticeMailId = mail.id;
    }
    const created = await insertEntry(q, returnId, {
      kind: 'message', authorKind: 'client', author: from, channel: 'email', event: known ? 'late_answer' : 'held', text, quoted,
      // A stranger's text stays with the agents until one accepts it.
      visibleToClient: known, data, at: now,
    });
    await auditReturn(q, { actor, action: known ? 'return.late_answer_recorded' : 'return.mail_held', returnId, changes: { entry: { from: null, to: String(created.id) } }, at: now });
    return created;
  });
  deps.relay.kick();
  return entryView(entry);
}

/** An agent takes a held e-mail as the client's: it is applied as their reply from now. */
export async function acceptHeldEmail(deps: Deps, returnId: string, entryId: string, actor: string) {
  const now = deps.clock.now();
  const entry = await deps.db.tx(async (q) => {
    const row = await lockReturn(q, returnId);
    const held = await getEntry(q, returnId, entryId);
    if (!held) throw new NotFoundError('timeline entry', entryId);
    if (held.event !== 'held' || held.data.held !== true) {
      throw new ConflictError('ENTRY_NOT_HELD', 'only an e-mail held because its sender is unknown can be accepted', [{ path: 'entryId', message: held.data.acceptedBy ? 'already accepted' : 'not a held e-mail' }]);
    }
    if (isExpired(row.valid_until, now)) {
      throw new ConflictError('RETURN_EXPIRED', `this return expired on ${formatSaoPaulo(row.valid_until)} (America/Sao_Paulo): extend it first (PATCH validUntil)`, [{ path: 'validUntil', message: 'is past' }]);
    }
    const { rows } = await q.query<TimelineRow>(
      `UPDATE return_timeline SET event = NULL, visible_to_client = true, data = data || $3::jsonb WHERE return_id = $1 AND id = $2 RETURNING *`,
      [returnId, entryId, JSON.stringify({ held: false, acceptedBy: actor, acceptedAt: now.toISOString() })],
    );
    await auditReturn(q, { actor, action: 'return.held_mail_accepted', returnId, changes: { [`entries.${entryId}.held`]: { from: true, to: false } }, at: now });
    return applyClientMessage(q, deps, row, rows[0]!, { channel: 'email', author: held.author ?? String(held.data.from), text: held.text, actor }, now);
  });
  deps.relay.kick();
  return entryView(entry);
}
