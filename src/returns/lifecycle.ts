// Agent moves on a return: close, reopen, resend the notice, and revoke or rotate the portal
// token. Each locks the row, checks the status machine, writes the timeline event and the
// history entry in one transaction.

import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { isExpired } from '../domain/return-rules.js';
import { formatSaoPaulo } from '../domain/sao-paulo-time.js';
import type { Queryable } from '../store/db.js';
import type { PageRequest } from '../store/keyset.js';
import { nextReturnStatus, type ReturnMove } from '../domain/return-status.js';
import { getReturn, updateReturn, type ReturnPatch, type ReturnRow } from './store.js';
import { insertEntry } from './timeline.js';
import { auditReturn, listReturnHistory, type Changes } from './audit.js';
import { queueReturnNotice } from './notice.js';
import { newPortalToken, portalUrl } from './portal-token.js';
import { loadReturn, viewOf } from './service.js';

/** Locks the return for the rest of the transaction, or 404. */
export async function lockReturn(q: Queryable, id: string): Promise<ReturnRow> {
  const row = await getReturn(q, id, true);
  if (!row) throw new NotFoundError('return', id);
  return row;
}

/** The status patch a move implies (closing stamps closed_at, leaving closed clears it). */
export function statusPatch(row: ReturnRow, move: ReturnMove, now: Date): { patch: ReturnPatch; changes: Changes } {
  const to = nextReturnStatus(row.status, move);
  if (to === row.status) return { patch: {}, changes: {} };
  const patch: ReturnPatch = { status: to, closed_at: to === 'closed' ? now : null };
  return { patch, changes: { status: { from: row.status, to } } };
}

export async function closeReturn(deps: Deps, id: string, actor: string) {
  return agentMove(deps, id, actor, { kind: 'close' }, 'closed', 'Retorno encerrado');
}

export async function reopenReturn(deps: Deps, id: string, actor: string) {
  return agentMove(deps, id, actor, { kind: 'reopen' }, 'reopened', 'Retorno reaberto');
}

async function agentMove(deps: Deps, id: string, actor: string, move: ReturnMove, event: string, text: string) {
  const now = deps.clock.now();
  const row = await deps.db.tx(async (q) => {
    const before = await lockReturn(q, id);
    const { patch, changes } = statusPatch(before, move, now);
    const after = await updateReturn(q, id, patch, now);
    await insertEntry(q, id, { kind: 'event', authorKind: 'agent', author: actor, event, text, visibleToClient: true, at: now });
    await auditReturn(q, { actor, action: `return.${event}`, returnId: id, changes, at: now });
    return after;
  });
  return viewOf(deps, row);
}

/**
 * Records the resend and queues the notice again (see notice.ts for the e-mail hook). An expired
 * return is resent only with a new validity: a mailed link that answers 410 helps nobody.
 */
export async function resendReturn(deps: Deps, id: string, actor: string, input: { validUntil?: string } = {}) {
  const now = deps.clock.now();
  if (input.validUntil !== undefined && !(Date.parse(input.validUntil) > now.getTime())) throw ValidationError.field('validUntil', 'must be in the future');
  const entry = await deps.db.tx(async (q) => {
    const row = await lockReturn(q, id);
    nextReturnStatus(row.status, { kind: 'resend' });
    if (input.validUntil === undefined && isExpired(row.valid_until, now)) {
      throw new ConflictError('RETURN_EXPIRED', `this return expired on ${formatSaoPaulo(row.valid_until)} (America/Sao_Paulo): resend it with a new validUntil`, [{ path: 'validUntil', message: 'is past: give a new one to resend' }]);
    }
    const changes: Changes = {};
    if (input.validUntil !== undefined) {
      const validUntil = new Date(input.validUntil);
      await updateReturn(q, id, { valid_until: validUntil }, now);
      changes.validUntil = { from: row.valid_until.toISOString(), to: validUntil.toISOString() };
    }
    const queued = await queueReturnNotice(q, deps, { returnId: id, clientEmail: row.client_email, subject: row.subject, reason: 'resend', actor, at: now });
    if (queued.data.portalLinkRenewed === true) changes.portalLink = { from: 'previous', to: 'renewed' };
    await auditReturn(q, { actor, action: 'return.resent', returnId: id, changes, at: now });
    return queued;
  });
  deps.relay.kick();
  return { returnId: id, entryId: String(entry.id), resentAt: now.toISOString() };
}

export async function revokePortalToken(deps: Deps, id: string, actor: string) {
  const now = deps.clock.now();
  const row = await deps.db.tx(async (q) => {
    const before = await lockReturn(q, id);
    const after = await updateReturn(q, id, { portal_token_hash: null }, now);
    await insertEntry(q, id, { kind: 'event', authorKind: 'agent', author: actor, event: 'portal_token_revoked', text: 'Acesso do cliente pelo portal revogado', visibleToClient: false, at: now });
    await auditReturn(q, { actor, action: 'return.portal_token_revoked', returnId: id, changes: { portalTokenActive: { from: before.portal_token_hash !== null, to: false } }, at: now });
    return after;
  });
  return viewOf(deps, row);
}

/** A new token replaces the old one (which stops working at once); it is shown only here. */
export async function rotatePortalToken(deps: Deps, id: string, actor: string) {
  const now = deps.clock.now();
  const portal = newPortalToken();
  const row = await deps.db.tx(async (q) => {
    const before = await lockReturn(q, id);
    const after = await updateReturn(q, id, { portal_token_hash: portal.hash }, now);
    await insertEntry(q, id, { kind: 'event', authorKind: 'agent', author: actor, event: 'portal_token_rotated', text: 'Novo link do portal gerado', visibleToClient: false, at: now });
    await auditReturn(q, { actor, action: 'return.portal_token_rotated', returnId: id, changes: { portalTokenActive: { from: before.portal_token_hash !== null, to: true } }, at: now });
    return after;
  });
  return { ...viewOf(deps, row), portalToken: portal.token, portalUrl: portalUrl(deps.config.publicUrl, id, portal.token) };
}

export async function returnHistory(deps: Deps, id: string, page: PageRequest) {
  await loadReturn(deps, id);
  return listReturnHistory(deps.db, id, page);
}
