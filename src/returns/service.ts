// Returns to clients: create (with its portal token and notice), read with the timeline,
// list (closed ones past the retention window hidden), and change the editable fields.

import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError, type ErrorDetail } from '../errors.js';
import { getChat } from '../store/chats.js';
import { archiveCutoff, checkReturnFields, normalizeReturnClientCode, type ReturnTypeName } from '../domain/return-rules.js';
import type { ReturnStatus } from '../domain/return-status.js';
import { plainText } from '../domain/return-format.js';
import { getReturn, insertReturn, listReturnIntegrations, listReturns, updateReturn, type ReturnPatch, type ReturnRow } from './store.js';
import { entryView, getEntry, insertEntry, listEntries } from './timeline.js';
import { auditReturn, diff } from './audit.js';
import { newPortalToken, portalUrl } from './portal-token.js';
import { queueReturnNotice } from './notice.js';
import { returnView } from './view.js';
import { referenceProblems, rejectProblems } from './references.js';
import { mailIdsOf, returnMailOutcomes } from './mail-outcomes.js';
import { publishFeedNotes, recordDelegation } from './reminders.js';

export interface ReturnInput {
  clientEmail: string;
  clientCode?: string;
  type: ReturnTypeName;
  chatId?: string;
  crmProcessNumber?: string;
  contactPerson?: string;
  validUntil: string;
  responsibleUserId?: string;
  departmentId?: string;
  subject: string;
  description: string;
}

export type ReturnUpdate = Partial<Record<'clientCode' | 'crmProcessNumber' | 'contactPerson' | 'responsibleUserId' | 'departmentId', string | null>>
  & { validUntil?: string; subject?: string; description?: string };

export function rejectIfAny(problems: ErrorDetail[]): void {
  if (problems.length) throw new ValidationError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
}

/** Plain text from the caller, tags stripped; an empty result is refused. */
function requiredText(path: string, value: string): string {
  const text = plainText(value);
  if (!text) throw ValidationError.field(path, 'must contain text');
  return text;
}

export async function loadReturn(deps: Deps, id: string): Promise<ReturnRow> {
  const row = await getReturn(deps.db, id);
  if (!row) throw new NotFoundError('return', id);
  return row;
}

export const viewOf = (deps: Deps, row: ReturnRow) => returnView(row, deps.clock.now(), deps.config.returnsRetentionDays);

export async function createReturn(deps: Deps, input: ReturnInput, actor: string) {
  const now = deps.clock.now();
  const chat = input.chatId ? await getChat(deps.db, input.chatId) : undefined;
  const fieldProblems = checkReturnFields(input, { now, chatExists: input.chatId ? chat !== undefined : undefined });
  rejectProblems([...fieldProblems, ...(await referenceProblems(deps, deps.db, {
    departmentId: input.departmentId,
    responsibleUserId: input.responsibleUserId,
    // Only a well-formed number of a question return is worth asking the ERP about.
    crmProcessNumber: fieldProblems.some((p) => p.path === 'crmProcessNumber') ? undefined : input.crmProcessNumber,
  }))]);
  const subject = requiredText('subject', input.subject);
  const description = requiredText('description', input.description);
  const portal = newPortalToken();
  const { created: row, notes } = await deps.db.tx(async (q) => {
    const created = await insertReturn(q, {
      type: input.type,
      client_email: input.clientEmail.toLowerCase(),
      client_code: normalizeReturnClientCode(input.clientCode),
      chat_id: input.chatId ?? null,
      crm_process_number: input.crmProcessNumber ?? null,
      contact_person: input.contactPerson ? plainText(input.contactPerson) || null : null,
      valid_until: input.validUntil,
      responsible_user_id: input.responsibleUserId ?? null,
      // A client opening a chat from the return lands in its department, else the linked chat's.
      department_id: input.departmentId ?? chat?.department_id ?? null,
      subject,
      description,
      portal_token_hash: portal.hash,
      created_by: actor,
      created_at: now,
    });
    await insertEntry(q, created.id, { kind: 'event', authorKind: 'agent', author: actor, event: 'created', text: 'Retorno criado', visibleToClient: true, at: now });
    await queueReturnNotice(q, deps, { returnId: created.id, clientEmail: created.client_email, subject: created.subject, reason: 'created', actor, portalUrl: portalUrl(deps.config.publicUrl, created.id, portal.token), at: now });
    await auditReturn(q, { actor, action: 'return.created', returnId: created.id, changes: diff({} as ReturnRow, created, AUDITED), at: now });
    return { created, notes: await recordDelegation(q, null, created, actor, now) };
  });
  deps.relay.kick();
  await publishFeedNotes(deps, notes);
  return { ...viewOf(deps, row), portalToken: portal.token, portalUrl: portalUrl(deps.config.publicUrl, row.id, portal.token) };
}

/** Field names in the API → columns, for the history's changes. */
const AUDITED = {
  type: 'type', status: 'status', clientEmail: 'client_email', clientCode: 'client_code', chatId: 'chat_id',
  crmProcessNumber: 'crm_process_number', contactPerson: 'contact_person', validUntil: 'valid_until',
  responsibleUserId: 'responsible_user_id', departmentId: 'department_id', subject: 'subject', description: 'description',
} as const satisfies Record<string, keyof ReturnRow>;

export async function updateReturnFields(deps: Deps, id: string, input: ReturnUpdate, actor: string) {
  const now = deps.clock.now();
  const references = await referenceProblems(deps, deps.db, {
    departmentId: input.departmentId, responsibleUserId: input.responsibleUserId,
    crmProcessNumber: input.crmProcessNumber && /^[0-9]{8}$/.test(input.crmProcessNumber) ? input.crmProcessNumber : undefined,
  });
  const { row, notes } = await deps.db.tx(async (q) => {
    const before = await getReturn(q, id, true);
    if (!before) throw new NotFoundError('return', id);
    const patch: ReturnPatch = {};
    if (input.clientCode !== undefined) patch.client_code = normalizeReturnClientCode(input.clientCode);
    if (input.crmProcessNumber !== undefined) patch.crm_process_number = input.crmProcessNumber;
    if (input.contactPerson !== undefined) patch.contact_person = input.contactPerson === null ? null : plainText(input.contactPerson) || null;
    if (input.responsibleUserId !== undefined) patch.responsible_user_id = input.responsibleUserId;
    if (input.departmentId !== undefined) patch.department_id = input.departmentId;
    if (input.validUntil !== undefined) patch.valid_until = new Date(input.validUntil);
    if (input.subject !== undefined) patch.subject = requiredText('subject', input.subject);
    if (input.description !== undefined) patch.description = requiredText('description', input.description);
    const merged = { ...before, ...patch };
    rejectProblems([...checkReturnFields({
      type: merged.type, clientEmail: merged.client_email, crmProcessNumber: merged.crm_process_number, contactPerson: merged.contact_person,
      // Only a new validity is checked: an expired return can still be reassigned.
      validUntil: input.validUntil,
    }, { now }), ...references]);
    const changes = diff(before, merged, AUDITED);
    if (Object.keys(changes).length === 0) return { row: before, notes: [] };
    const after = await updateReturn(q, id, patch, now);
    await insertEntry(q, id, { kind: 'event', authorKind: 'agent', author: actor, event: 'updated', text: `Alterado: ${Object.keys(changes).join(', ')}`, visibleToClient: false, data: { changes }, at: now });
    await auditReturn(q, { actor, action: 'return.updated', returnId: id, changes, at: now });
    return { row: after, notes: await recordDelegation(q, before, after, actor, now) };
  });
  deps.relay.kick();
  await publishFeedNotes(deps, notes);
  return viewOf(deps, row);
}

export async function readReturn(deps: Deps, id: string) {
  const row = await loadReturn(deps, id);
  const [entries, integrations, mails] = await Promise.all([listEntries(deps.db, id), listReturnIntegrations(deps.db, id), returnMailOutcomes(deps.db, id)]);
  // Each entry that sent mail shows what became of it now: queued, sent, bounced, failed or kept.
  const withMail = (e: (typeof entries)[number]) => {
    const outcomes = mailIdsOf(e.data).map((m) => mails.get(m)).filter((m) => m !== undefined);
    return outcomes.length ? { ...entryView(e), mail: outcomes } : entryView(e);
  };
  return { ...viewOf(deps, row), timeline: entries.map(withMail), integrations };
}

export async function readEntry(deps: Deps, returnId: string, entryId: string, expand: boolean) {
  await loadReturn(deps, returnId);
  const entry = await getEntry(deps.db, returnId, entryId);
  return entry ? entryView(entry, expand) : undefined;
}

export interface ReturnQuery {
  status?: ReturnStatus;
  type?: ReturnTypeName;
  responsibleUserId?: string;
  clientEmail?: string;
  clientCode?: string;
  /** Returns whose next action comes before this instant (an agent's to-do list). */
  nextActionBefore?: string;
  includeArchived?: boolean;
  limit?: number;
  cursor?: string;
}

export async function searchReturns(deps: Deps, query: ReturnQuery) {
  const { rows, nextCursor } = await listReturns(deps.db, {
    status: query.status,
    type: query.type,
    responsibleUserId: query.responsibleUserId,
    clientEmail: query.clientEmail,
    clientCode: normalizeReturnClientCode(query.clientCode) ?? undefined,
    nextActionBefore: query.nextActionBefore ? new Date(query.nextActionBefore) : undefined,
    archivedBefore: query.includeArchived ? undefined : archiveCutoff(deps.clock.now(), deps.config.returnsRetentionDays),
  }, query);
  return { items: rows.map((r) => viewOf(deps, r)), nextCursor };
}
