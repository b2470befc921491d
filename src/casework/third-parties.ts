// Third parties on a return (seed 003: a realtor, a broker...): invited by e-mail, they get an
// invitation and then a copy of each reply marked copyThirdParties. Each invitation is a
// timeline event and a history entry.

import type { Deps } from '../deps.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { Queryable } from '../store/db.js';
import { keysetPage, type PageRequest } from '../store/keyset.js';
import { SqlWhere } from '../store/sql-where.js';
import { plainText } from '../domain/return-format.js';
import { thirdPartyInviteMail } from '../mail/compose.js';
import { queueMail } from '../mail/queue.js';
import { insertEntry } from '../returns/timeline.js';
import { auditReturn } from '../returns/audit.js';
import { lockReturn } from '../returns/lifecycle.js';
import { loadReturn } from '../returns/service.js';

export interface ThirdPartyInput { email: string; name?: string; agentId?: string }

export interface ThirdPartyRow { id: string; return_id: string; email: string; name: string | null; invited_by: string; invited_at: Date }

const view = (t: ThirdPartyRow) => ({ id: t.id, returnId: t.return_id, email: t.email, name: t.name, invitedBy: t.invited_by, invitedAt: t.invited_at.toISOString() });

export async function listThirdPartyRows(q: Queryable, returnId: string): Promise<ThirdPartyRow[]> {
  const { rows } = await q.query<ThirdPartyRow>('SELECT * FROM return_third_parties WHERE return_id = $1 ORDER BY invited_at, id', [returnId]);
  return rows;
}

export async function inviteThirdParty(deps: Deps, returnId: string, input: ThirdPartyInput, actor: string) {
  const email = input.email.trim().toLowerCase();
  const name = input.name ? plainText(input.name) || null : null;
  const now = deps.clock.now();
  const party = await deps.db.tx(async (q) => {
    const row = await lockReturn(q, returnId);
    if (email === row.client_email) throw ValidationError.field('email', 'is the client of this return, not a third party', 'THIRD_PARTY_IS_CLIENT');
    const { rows } = await q.query<ThirdPartyRow>(
      'INSERT INTO return_third_parties (return_id, email, name, invited_by, invited_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (return_id, email) DO NOTHING RETURNING *',
      [returnId, email, name, actor, now],
    );
    if (!rows[0]) throw new ConflictError('THIRD_PARTY_EXISTS', `${email} is already invited to this return`, [{ path: 'email', message: 'already invited' }]);
    const mail = await queueMail(q, {
      kind: 'third_party_invite', returnId, to: email, toName: name,
      ...thirdPartyInviteMail({ returnSubject: row.subject, description: row.description, name, invitedBy: actor }),
    }, now);
    await insertEntry(q, returnId, { kind: 'event', authorKind: 'agent', author: actor, event: 'third_party_invited', channel: 'email', text: `Terceiro convidado: ${name ? `${name} <${email}>` : email}`, visibleToClient: false, data: { thirdPartyId: rows[0].id, email, mailId: mail.id }, at: now });
    await auditReturn(q, { actor, action: 'return.third_party_invited', returnId, changes: { thirdParties: { from: null, to: email } }, at: now });
    return rows[0];
  });
  deps.relay.kick();
  return view(party);
}

/** One page of the invited third parties, first invited first. */
export async function listThirdParties(deps: Deps, returnId: string, page: PageRequest) {
  await loadReturn(deps, returnId);
  const { rows, nextCursor } = await keysetPage<ThirdPartyRow>(deps.db, { select: '*', from: 'return_third_parties', where: new SqlWhere().and('return_id = ?', returnId) },
    { columns: [['invited_at', 'timestamptz'], ['id', 'uuid']] }, page);
  return { items: rows.map(view), nextCursor };
}
