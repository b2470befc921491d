// Forward or change a return (seed 003 "Encaminhar/Alterar"): subject, sub-subject,
// responsible, priority, department, next action date, product. The resulting state must
// hold every field the subject (and sub-subject) requires: one 400 lists all that are missing.
// Changing the situation follows the subject's workflow: 409 names the allowed moves.

import type { Deps } from '../deps.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { Queryable } from '../store/db.js';
import type { Permission } from '../domain/permissions.js';
import { initialSituation, type Priority } from '../domain/casework-subject.js';
import { checkSituationMove, missingRequiredFields, type CaseState } from '../domain/casework-rules.js';
import { updateReturn, type ReturnPatch, type ReturnRow } from '../returns/store.js';
import { insertEntry } from '../returns/timeline.js';
import { auditReturn, diff } from '../returns/audit.js';
import { lockReturn } from '../returns/lifecycle.js';
import { viewOf } from '../returns/service.js';
import { getSubject, type Subject } from './subjects.js';
import { referenceProblems, rejectProblems } from '../returns/references.js';
import { nextActionProblems } from '../domain/return-rules.js';
import { publishFeedNotes, recordDelegation, scheduleNextAction } from '../returns/reminders.js';

export interface ForwardInput {
  subjectId?: string;
  subSubjectId?: string | null;
  responsibleUserId?: string | null;
  priority?: Priority | null;
  departmentId?: string | null;
  nextActionAt?: string | null;
  productId?: string | null;
  agentId?: string;
}

/** Subject and sub-subject need change_subject; the other fields need forward. */
export function forwardPermissions(input: ForwardInput): Permission[] {
  const needed: Permission[] = [];
  if (input.subjectId !== undefined || input.subSubjectId !== undefined) needed.push('change_subject');
  const others = ['responsibleUserId', 'priority', 'departmentId', 'nextActionAt', 'productId'] as const;
  if (others.some((f) => input[f] !== undefined) || needed.length === 0) needed.push('forward');
  return needed;
}

/** PATCH /v1/returns/:id reassigning the responsible or the department is forwarding too. */
export function updatePermissions(input: { responsibleUserId?: unknown; departmentId?: unknown }): Permission[] {
  return input.responsibleUserId !== undefined || input.departmentId !== undefined ? ['forward'] : [];
}

/** API names → columns, for the history's from/to. */
const CASE_FIELDS = {
  subjectId: 'subject_id', subSubjectId: 'sub_subject_id', situation: 'situation', responsibleUserId: 'responsible_user_id',
  priority: 'priority', departmentId: 'department_id', nextActionAt: 'next_action_at', productId: 'product_id',
} as const satisfies Record<string, keyof ReturnRow>;

async function subjectOf(q: Queryable, id: string, path: string): Promise<Subject> {
  const subject = await getSubject(q, id, 'share');
  if (!subject) throw ValidationError.field(path, `unknown subject ${id} (an admin creates it with POST /v1/subjects)`, 'UNKNOWN_SUBJECT');
  return subject;
}

const pick = <T>(given: T | undefined, current: T): T => (given === undefined ? current : given);

/** The patch a forward implies, checked against the target subject. */
async function forwardPatch(q: Queryable, before: ReturnRow, input: ForwardInput): Promise<ReturnPatch> {
  const subjectId = input.subjectId ?? before.subject_id;
  const subject = subjectId ? await subjectOf(q, subjectId, 'subjectId') : undefined;
  const subjectChanged = subjectId !== before.subject_id;
  // A sub-subject belongs to one subject: a new subject starts without one unless given.
  const subSubjectId = pick(input.subSubjectId, subjectChanged ? null : before.sub_subject_id);
  if (subSubjectId !== null && !subject?.subSubjects.some((s) => s.id === subSubjectId)) {
    throw ValidationError.field('subSubjectId', subject ? `"${subSubjectId}" is not a sub-subject of subject "${subject.name}"` : 'a sub-subject needs a subject', 'UNKNOWN_SUB_SUBJECT');
  }
  const patch: ReturnPatch = {
    subject_id: subjectId,
    sub_subject_id: subSubjectId,
    situation: subjectChanged && subject ? initialSituation(subject) : before.situation,
    responsible_user_id: pick(input.responsibleUserId, before.responsible_user_id),
    priority: pick(input.priority, before.priority),
    department_id: pick(input.departmentId, before.department_id),
    next_action_at: input.nextActionAt === undefined ? before.next_action_at : input.nextActionAt === null ? null : new Date(input.nextActionAt),
    product_id: pick(input.productId, before.product_id),
  };
  if (subject) {
    const state: CaseState = {
      subSubjectId: patch.sub_subject_id ?? null, responsibleUserId: patch.responsible_user_id ?? null, priority: patch.priority ?? null,
      nextActionAt: patch.next_action_at?.toISOString() ?? null, productId: patch.product_id ?? null, departmentId: patch.department_id ?? null,
    };
    const missing = missingRequiredFields(subject, state);
    if (missing.length) throw new ValidationError(`missing fields required by subject "${subject.name}": ${missing.map((m) => m.path).join(', ')}`, missing, 'REQUIRED_FIELDS_MISSING');
  }
  return patch;
}

export async function forwardReturn(deps: Deps, id: string, input: ForwardInput, actor: string) {
  const now = deps.clock.now();
  rejectProblems([
    ...nextActionProblems(input.nextActionAt, now),
    ...(await referenceProblems(deps, deps.db, { responsibleUserId: input.responsibleUserId, departmentId: input.departmentId, productId: input.productId })),
  ]);
  const { row, notes } = await deps.db.tx(async (q) => {
    const before = await lockReturn(q, id);
    const patch = await forwardPatch(q, before, input);
    const changes = diff(before, { ...before, ...patch }, CASE_FIELDS);
    if (Object.keys(changes).length === 0) return { row: before, notes: [] };
    const after = await updateReturn(q, id, patch, now);
    await insertEntry(q, id, { kind: 'event', authorKind: 'agent', author: actor, event: 'forwarded', text: `Encaminhado/alterado: ${Object.keys(changes).join(', ')}`, visibleToClient: false, data: { changes }, at: now });
    await auditReturn(q, { actor, action: 'return.forwarded', returnId: id, changes, at: now });
    if (changes.nextActionAt && after.next_action_at) await scheduleNextAction(q, id, after.next_action_at, now);
    return { row: after, notes: await recordDelegation(q, before, after, actor, now) };
  });
  deps.relay.kick();
  await publishFeedNotes(deps, notes);
  return viewOf(deps, row);
}

export async function changeSituation(deps: Deps, id: string, situation: string, actor: string) {
  const now = deps.clock.now();
  const row = await deps.db.tx(async (q) => {
    const before = await lockReturn(q, id);
    if (!before.subject_id) {
      throw new ConflictError('RETURN_HAS_NO_SUBJECT', 'this return has no subject, so no workflow: forward it to a subject first', [{ path: 'subjectId', message: 'not set on the return' }]);
    }
    const subject = await subjectOf(q, before.subject_id, 'subjectId');
    // A return that got its subject before the workflow had situations stands at the initial one.
    const from = before.situation ?? initialSituation(subject);
    if (situation !== from) checkSituationMove(subject, from, situation);
    if (situation === before.situation) return before;
    const after = await updateReturn(q, id, { situation }, now);
    const changes = { situation: { from: before.situation, to: situation } };
    await insertEntry(q, id, { kind: 'event', authorKind: 'agent', author: actor, event: 'situation_changed', text: `Situação: ${before.situation ?? '-'} → ${situation}`, visibleToClient: false, data: { changes }, at: now });
    await auditReturn(q, { actor, action: 'return.situation_changed', returnId: id, changes, at: now });
    return after;
  });
  return viewOf(deps, row);
}
