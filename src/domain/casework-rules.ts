// Case-work rules on a return (seed 003): the fields its subject requires, the workflow moves
// from its situation, and when a return counts as active (linkable). Pure functions.

import { ConflictError, type ErrorDetail } from '../errors.js';
import type { Move, RequiredField, SubjectDefinition } from './casework-subject.js';

/** The return's case fields, by API name, after a change is applied. */
export type CaseState = Record<RequiredField, string | null>;

/** Every field the subject and its chosen sub-subject require that the state leaves empty. */
export function missingRequiredFields(subject: Pick<SubjectDefinition, 'name' | 'requiredFields' | 'subSubjects'>, state: CaseState): ErrorDetail[] {
  const sub = subject.subSubjects.find((s) => s.id === state.subSubjectId);
  const required: Array<{ field: RequiredField; by: string }> = [
    ...subject.requiredFields.map((field) => ({ field, by: `subject "${subject.name}"` })),
    ...(sub?.requiredFields ?? []).map((field) => ({ field, by: `sub-subject "${sub!.name}"` })),
  ];
  const seen = new Set<RequiredField>();
  const problems: ErrorDetail[] = [];
  for (const { field, by } of required) {
    if (seen.has(field)) continue;
    seen.add(field);
    const value = state[field];
    if (value === null || value === '') problems.push({ path: field, message: `required by ${by}` });
  }
  return problems;
}

export function allowedMoves(moves: readonly Move[], from: string | null): string[] {
  return moves.filter((m) => m.from === from).map((m) => m.to);
}

/** 409 naming the moves the workflow allows from the current situation. */
export class SituationMoveRefused extends ConflictError {
  constructor(from: string | null, to: string, allowed: string[]) {
    const options = allowed.length ? `allowed: ${allowed.map((a) => `"${a}"`).join(', ')}` : 'no move is allowed from there';
    super('SITUATION_MOVE_NOT_ALLOWED', `cannot move from "${from ?? '(none)'}" to "${to}"; ${options}`, [
      { path: 'situation', message: `not a move from "${from ?? '(none)'}"`, current: from, allowed: allowed.map((a) => ({ from, to: a })) },
    ]);
  }
}

/** The situation after the move, or the 409 naming the allowed moves. */
export function checkSituationMove(subject: Pick<SubjectDefinition, 'situations' | 'moves'>, from: string | null, to: string): string {
  const allowed = allowedMoves(subject.moves, from);
  if (!allowed.includes(to)) throw new SituationMoveRefused(from, to, allowed);
  return to;
}

/**
 * Active = neither closed nor in a final situation ("finalizado", "cancelado"). A situation
 * is final when the workflow has no move out of it; a return without a workflow is active
 * until it is closed.
 */
export function isActiveReturn(r: { status: string; situation: string | null }, subject?: Pick<SubjectDefinition, 'moves' | 'situations'>): boolean {
  if (r.status === 'closed') return false;
  if (!subject || r.situation === null || subject.situations.length === 0) return true;
  return allowedMoves(subject.moves, r.situation).length > 0;
}

/** Why a return is not active, for the 409's message. */
export function inactiveReason(r: { status: string; situation: string | null }): string {
  return r.status === 'closed' ? 'is closed' : `is in the final situation "${r.situation}"`;
}

/**
 * A reply not visible to the client never leaves ponte: it is neither e-mailed to the client
 * nor copied to third parties (an invited accountant must not read an internal note).
 */
export function checkReplyMailRules(r: { sendByEmail: boolean; copyThirdParties?: boolean; visibleToClient: boolean }): ErrorDetail[] {
  if (r.visibleToClient) return [];
  const problems: ErrorDetail[] = [];
  if (r.sendByEmail) problems.push({ path: 'sendByEmail', message: 'only a reply visible to the client can be e-mailed to them' });
  if (r.copyThirdParties) problems.push({ path: 'copyThirdParties', message: 'only a reply visible to the client can be copied to third parties' });
  return problems;
}
