// Subjects and their sub-subjects, managed by admins (seed 003 "assunto/subassunto"): required
// fields and the workflow of situations. A change may not drop a situation or sub-subject
// that returns still use. Changes go to the audit log under target_type 'subject'.

import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError, type ErrorDetail } from '../errors.js';
import type { Queryable } from '../store/db.js';
import { keysetPage, type PageRequest } from '../store/keyset.js';
import { plainText } from '../domain/return-format.js';
import { checkSubjectDefinition, type Move, type RequiredField, type SubSubject, type SubjectDefinition } from '../domain/casework-subject.js';
import { rejectIfAny } from '../returns/service.js';

export type SubjectInput = SubjectDefinition & { id?: string };
export type Subject = SubjectDefinition & { id: string; createdAt: string; updatedAt: string };

interface SubjectRow {
  id: string; name: string; sub_subjects: SubSubject[]; required_fields: RequiredField[]; situations: string[]; moves: Move[];
  created_at: Date; updated_at: Date;
}

const toSubject = (r: SubjectRow): Subject => ({
  id: r.id, name: r.name, subSubjects: r.sub_subjects, requiredFields: r.required_fields, situations: r.situations, moves: r.moves,
  createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

/** `share` holds the definition until the transaction ends, so no replacement drops what it uses. */
export async function getSubject(q: Queryable, id: string, lock?: 'share'): Promise<Subject | undefined> {
  const { rows } = await q.query<SubjectRow>(`SELECT * FROM subjects WHERE id = $1${lock ? ' FOR SHARE' : ''}`, [id]);
  return rows[0] ? toSubject(rows[0]) : undefined;
}

function clean(input: SubjectInput): SubjectDefinition {
  const s: SubjectDefinition = {
    name: plainText(input.name),
    subSubjects: input.subSubjects.map((x) => ({ id: x.id, name: plainText(x.name) || x.id, ...(x.requiredFields?.length ? { requiredFields: [...new Set(x.requiredFields)] } : {}) })),
    requiredFields: [...new Set(input.requiredFields)],
    situations: input.situations.map((x) => x.trim()),
    moves: input.moves.map((m) => ({ from: m.from.trim(), to: m.to.trim() })),
  };
  rejectIfAny(checkSubjectDefinition(s));
  return s;
}

async function audit(q: Queryable, actor: string, action: string, id: string, changes: object, at: Date): Promise<void> {
  await q.query("INSERT INTO audit_events (at, actor, action, target_type, target_id, changes) VALUES ($1, $2, $3, 'subject', $4, $5)", [at, actor, action, id, JSON.stringify(changes)]);
}

const FIELDS = ['name', 'subSubjects', 'requiredFields', 'situations', 'moves'] as const;

function changesOf(before: SubjectDefinition | undefined, after: SubjectDefinition) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const f of FIELDS) {
    if (JSON.stringify(before?.[f] ?? null) !== JSON.stringify(after[f])) changes[f] = { from: before?.[f] ?? null, to: after[f] };
  }
  return changes;
}

async function write(q: Queryable, id: string, s: SubjectDefinition, now: Date): Promise<SubjectRow> {
  const { rows } = await q.query<SubjectRow>(
    `INSERT INTO subjects (id, name, sub_subjects, required_fields, situations, moves, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, sub_subjects = EXCLUDED.sub_subjects, required_fields = EXCLUDED.required_fields,
       situations = EXCLUDED.situations, moves = EXCLUDED.moves, updated_at = EXCLUDED.updated_at RETURNING *`,
    [id, s.name, JSON.stringify(s.subSubjects), s.requiredFields, s.situations, JSON.stringify(s.moves), now],
  );
  return rows[0]!;
}

export async function createSubject(deps: Deps, input: SubjectInput, actor: string) {
  const s = clean(input);
  const id = input.id ?? randomUUID();
  const now = deps.clock.now();
  return deps.db.tx(async (q) => {
    if (await getSubject(q, id)) throw new ConflictError('SUBJECT_EXISTS', `subject ${id} already exists (change it with PUT /v1/subjects/${id})`, [{ path: 'id', message: 'already exists' }]);
    const row = await write(q, id, s, now);
    await audit(q, actor, 'subject.created', id, changesOf(undefined, s), now);
    return toSubject(row);
  });
}

/** Situations and sub-subjects a replacement drops while returns still use them. */
async function stillInUse(q: Queryable, id: string, s: SubjectDefinition): Promise<ErrorDetail[]> {
  const { rows } = await q.query<{ situation: string | null; sub_subject_id: string | null; n: string }>(
    'SELECT situation, sub_subject_id, count(*) AS n FROM returns WHERE subject_id = $1 GROUP BY situation, sub_subject_id',
    [id],
  );
  const problems: ErrorDetail[] = [];
  const count = (pick: (r: (typeof rows)[number]) => string | null, value: string) => rows.filter((r) => pick(r) === value).reduce((n, r) => n + Number(r.n), 0);
  for (const situation of new Set(rows.map((r) => r.situation).filter((x): x is string => x !== null))) {
    if (!s.situations.includes(situation)) problems.push({ path: 'situations', message: `situation "${situation}" is still used by ${count((r) => r.situation, situation)} return(s)` });
  }
  for (const sub of new Set(rows.map((r) => r.sub_subject_id).filter((x): x is string => x !== null))) {
    if (!s.subSubjects.some((x) => x.id === sub)) problems.push({ path: 'subSubjects', message: `sub-subject "${sub}" is still used by ${count((r) => r.sub_subject_id, sub)} return(s)` });
  }
  return problems;
}

/** Creates or replaces the subject; `created` tells which. */
export async function putSubject(deps: Deps, id: string, input: SubjectInput, actor: string) {
  if (input.id !== undefined && input.id !== id) throw ValidationError.field('id', `must be ${id} (the id in the path) or left out`);
  const s = clean(input);
  const now = deps.clock.now();
  return deps.db.tx(async (q) => {
    await q.query('SELECT id FROM subjects WHERE id = $1 FOR UPDATE', [id]);
    const before = await getSubject(q, id);
    if (before) {
      const problems = await stillInUse(q, id, s);
      if (problems.length) throw new ConflictError('SUBJECT_IN_USE', problems.map((p) => p.message).join('; '), problems);
    }
    const row = await write(q, id, s, now);
    const changes = changesOf(before, s);
    if (Object.keys(changes).length) await audit(q, actor, before ? 'subject.updated' : 'subject.created', id, changes, now);
    return { subject: toSubject(row), created: !before };
  });
}

/** One page of subjects by name, then id. */
export async function listSubjects(deps: Deps, page: PageRequest) {
  const { rows, nextCursor } = await keysetPage<SubjectRow>(deps.db, { select: '*', from: 'subjects' }, { columns: [['name', 'text'], ['id', 'text']] }, page);
  return { items: rows.map(toSubject), nextCursor };
}

export async function readSubject(deps: Deps, id: string): Promise<Subject> {
  const s = await getSubject(deps.db, id);
  if (!s) throw new NotFoundError('subject', id);
  return s;
}
