// Clone a return (seed 003 "clonar", after an explicit confirmation): a new return for the same
// client, subject, sub-subject and description, at the start of the subject's workflow, with
// its own portal token and notice, linked to its source. Any return can be cloned, closed
// ones too (a similar demand again); the clone link is kept even if the source is closed.

import type { Deps } from '../deps.js';
import { insertReturn, updateReturn, type ReturnRow } from '../returns/store.js';
import { insertEntry } from '../returns/timeline.js';
import { auditReturn, diff } from '../returns/audit.js';
import { lockReturn } from '../returns/lifecycle.js';
import { queueReturnNotice } from '../returns/notice.js';
import { newPortalToken, portalUrl } from '../returns/portal-token.js';
import { viewOf } from '../returns/service.js';
import { initialSituation } from '../domain/casework-subject.js';
import { getSubject } from './subjects.js';
import { insertLink } from './links.js';

const DAY_MS = 86_400_000;

/**
 * The source's validity while it lasts; past it, the clone gets as long as the source was
 * given (at least a day) from now.
 */
export function cloneValidUntil(source: Pick<ReturnRow, 'valid_until' | 'created_at'>, now: Date): Date {
  if (source.valid_until.getTime() > now.getTime()) return source.valid_until;
  const window = Math.max(DAY_MS, source.valid_until.getTime() - source.created_at.getTime());
  return new Date(now.getTime() + window);
}

const COPIED = {
  type: 'type', clientEmail: 'client_email', clientCode: 'client_code', contactPerson: 'contact_person', validUntil: 'valid_until',
  responsibleUserId: 'responsible_user_id', departmentId: 'department_id', subject: 'subject', description: 'description',
  subjectId: 'subject_id', subSubjectId: 'sub_subject_id', situation: 'situation', priority: 'priority', productId: 'product_id', clonedFrom: 'cloned_from',
} as const satisfies Record<string, keyof ReturnRow>;

export async function cloneReturn(deps: Deps, id: string, actor: string) {
  const now = deps.clock.now();
  const portal = newPortalToken();
  const row = await deps.db.tx(async (q) => {
    const source = await lockReturn(q, id);
    const subject = source.subject_id ? await getSubject(q, source.subject_id, 'share') : undefined;
    const inserted = await insertReturn(q, {
      type: source.type,
      client_email: source.client_email,
      client_code: source.client_code,
      chat_id: null,
      // The ERP process belongs to the source's demand: client answers to the clone do not go there.
      crm_process_number: null,
      contact_person: source.contact_person,
      responsible_user_id: source.responsible_user_id,
      department_id: source.department_id,
      subject: source.subject,
      description: source.description,
      valid_until: cloneValidUntil(source, now).toISOString(),
      portal_token_hash: portal.hash,
      created_by: actor,
      created_at: now,
    });
    const clone = await updateReturn(q, inserted.id, {
      subject_id: source.subject_id,
      sub_subject_id: source.sub_subject_id,
      situation: subject ? initialSituation(subject) : null,
      priority: source.priority,
      product_id: source.product_id,
      cloned_from: source.id,
    }, now);
    await insertEntry(q, clone.id, { kind: 'event', authorKind: 'agent', author: actor, event: 'created', text: 'Retorno criado', visibleToClient: true, data: { clonedFrom: source.id }, at: now });
    await queueReturnNotice(q, deps, { returnId: clone.id, clientEmail: clone.client_email, subject: clone.subject, reason: 'created', actor, portalUrl: portalUrl(deps.config.publicUrl, clone.id, portal.token), at: now });
    await auditReturn(q, { actor, action: 'return.created', returnId: clone.id, changes: diff({} as ReturnRow, clone, COPIED), at: now });
    await insertEntry(q, source.id, { kind: 'event', authorKind: 'agent', author: actor, event: 'cloned', text: `Retorno clonado: ${clone.id}`, visibleToClient: false, data: { cloneId: clone.id }, at: now });
    await auditReturn(q, { actor, action: 'return.cloned', returnId: source.id, changes: { clones: { from: null, to: clone.id } }, at: now });
    await insertLink(q, source.id, clone.id, 'clone', actor, now);
    return clone;
  });
  deps.relay.kick();
  return { ...viewOf(deps, row), portalToken: portal.token, portalUrl: portalUrl(deps.config.publicUrl, row.id, portal.token) };
}
