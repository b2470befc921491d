// Bounces that arrive later (a delivery status notification read by the e-mail gateway): the
// mail it names becomes `bounced`, and the return's timeline says so.

import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { plainText } from '../domain/return-format.js';
import { recordMailTrouble } from '../returns/mail-outcomes.js';
import { getMailByMessageId, mailView, updateMail } from './store.js';

export async function reportBounce(deps: Deps, input: { messageId: string; reason?: string }) {
  const now = deps.clock.now();
  const mail = await deps.db.tx(async (q) => {
    const found = await getMailByMessageId(q, input.messageId);
    if (!found) throw new NotFoundError('mail with Message-ID', input.messageId);
    if (found.status === 'bounced') return found;
    const reason = plainText(input.reason ?? '').slice(0, 1000) || 'bounce reported by the e-mail gateway';
    await updateMail(q, found.id, { status: 'bounced', last_error: reason }, now);
    await recordMailTrouble(q, found, 'bounced', reason, now);
    return { ...found, status: 'bounced' as const, last_error: reason };
  });
  return mailView(mail);
}
