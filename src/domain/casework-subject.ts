// A subject (seed 003 "assunto") as admins define it: sub-subjects, the fields a return must
// have to be forwarded to it, and its workflow of situations. Pure checks of a definition.

import type { ErrorDetail } from '../errors.js';

/** Fields a subject (or sub-subject) can require, by their API names. */
export const REQUIRED_FIELDS = ['subSubjectId', 'responsibleUserId', 'priority', 'nextActionAt', 'productId', 'departmentId'] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface SubSubject { id: string; name: string; requiredFields?: RequiredField[] }
export interface Move { from: string; to: string }

export interface SubjectDefinition {
  name: string;
  subSubjects: SubSubject[];
  requiredFields: RequiredField[];
  /** The first one is where a return starts when it gets this subject. */
  situations: string[];
  moves: Move[];
}

function duplicates(values: string[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return dup;
}

/** Every problem of a definition at once, with its path (e.g. `moves[2].to`). */
export function checkSubjectDefinition(s: SubjectDefinition): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!s.name.trim()) problems.push({ path: 'name', message: 'must contain text' });
  const subIds = duplicates(s.subSubjects.map((x) => x.id));
  s.subSubjects.forEach((x, i) => {
    if (subIds.has(x.id)) problems.push({ path: `subSubjects[${i}].id`, message: `sub-subject id "${x.id}" is declared twice` });
    if (x.requiredFields?.includes('subSubjectId')) problems.push({ path: `subSubjects[${i}].requiredFields`, message: 'a sub-subject cannot require a sub-subject' });
  });
  const situationDup = duplicates(s.situations);
  s.situations.forEach((x, i) => {
    if (!x.trim()) problems.push({ path: `situations[${i}]`, message: 'must contain text' });
    if (situationDup.has(x)) problems.push({ path: `situations[${i}]`, message: `situation "${x}" is declared twice` });
  });
  const declared = new Set(s.situations);
  const moveKeys = duplicates(s.moves.map((m) => `${m.from}\u0000${m.to}`));
  s.moves.forEach((m, i) => {
    if (!declared.has(m.from)) problems.push({ path: `moves[${i}].from`, message: `"${m.from}" is not one of the situations` });
    if (!declared.has(m.to)) problems.push({ path: `moves[${i}].to`, message: `"${m.to}" is not one of the situations` });
    if (m.from === m.to) problems.push({ path: `moves[${i}]`, message: 'a move must lead to another situation' });
    if (moveKeys.has(`${m.from}\u0000${m.to}`)) problems.push({ path: `moves[${i}]`, message: `move "${m.from}" → "${m.to}" is declared twice` });
  });
  return problems;
}

export function initialSituation(s: Pick<SubjectDefinition, 'situations'>): string | null {
  return s.situations[0] ?? null;
}
