// Tasks on a return (seed 003 "Tarefas"): title, assignee, due date, done. A task can only be
// created on a return that has a sub-subject (409 TASK_NEEDS_SUB_SUBJECT).

import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { isUuid } from '../store/integrations.js';
import { keysetPage, type PageRequest } from '../store/keyset.js';
import { SqlWhere } from '../store/sql-where.js';
import { plainText } from '../domain/return-format.js';
import { insertEntry } from '../returns/timeline.js';
import { auditReturn } from '../returns/audit.js';
import { lockReturn } from '../returns/lifecycle.js';
import { loadReturn } from '../returns/service.js';
import { referenceProblems, rejectProblems } from '../returns/references.js';

export interface TaskInput { title: string; assigneeId: string; dueAt: string; agentId?: string }

interface TaskRow {
  id: string; return_id: string; title: string; assignee_id: string; due_at: Date; done: boolean; done_at: Date | null; done_by: string | null;
  created_by: string; created_at: Date; updated_at: Date;
}

const view = (t: TaskRow) => ({
  id: t.id, returnId: t.return_id, title: t.title, assigneeId: t.assignee_id, dueAt: t.due_at.toISOString(), done: t.done,
  doneAt: t.done_at?.toISOString() ?? null, doneBy: t.done_by, createdBy: t.created_by, createdAt: t.created_at.toISOString(), updatedAt: t.updated_at.toISOString(),
});

export async function createTask(deps: Deps, returnId: string, input: TaskInput, actor: string) {
  const title = plainText(input.title);
  if (!title) throw ValidationError.field('title', 'must contain text');
  const now = deps.clock.now();
  rejectProblems(await referenceProblems(deps, deps.db, { assigneeId: input.assigneeId }));
  const task = await deps.db.tx(async (q) => {
    const row = await lockReturn(q, returnId);
    if (!row.sub_subject_id) {
      throw new ConflictError('TASK_NEEDS_SUB_SUBJECT', 'a task needs a return with a sub-subject: forward it to one first', [{ path: 'subSubjectId', message: 'not set on the return' }]);
    }
    const { rows } = await q.query<TaskRow>(
      `INSERT INTO return_tasks (return_id, title, assignee_id, due_at, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
      [returnId, title, input.assigneeId, input.dueAt, actor, now],
    );
    const t = rows[0]!;
    await insertEntry(q, returnId, { kind: 'event', authorKind: 'agent', author: actor, event: 'task_created', text: `Tarefa criada: ${title}`, visibleToClient: false, data: { taskId: t.id, assigneeId: t.assignee_id }, at: now });
    await auditReturn(q, { actor, action: 'return.task_created', returnId, changes: { [`tasks.${t.id}`]: { from: null, to: { title, assigneeId: t.assignee_id, dueAt: t.due_at.toISOString() } } }, at: now });
    return t;
  });
  return view(task);
}

/** One page of the return's tasks, oldest first. */
export async function listTasks(deps: Deps, returnId: string, page: PageRequest) {
  await loadReturn(deps, returnId);
  const { rows, nextCursor } = await keysetPage<TaskRow>(deps.db, { select: '*', from: 'return_tasks', where: new SqlWhere().and('return_id = ?', returnId) },
    { columns: [['created_at', 'timestamptz'], ['id', 'uuid']] }, page);
  return { items: rows.map(view), nextCursor };
}

export async function setTaskDone(deps: Deps, returnId: string, taskId: string, done: boolean, actor: string) {
  const now = deps.clock.now();
  const task = await deps.db.tx(async (q) => {
    await lockReturn(q, returnId);
    const { rows } = isUuid(taskId)
      ? await q.query<TaskRow>('SELECT * FROM return_tasks WHERE id = $1 AND return_id = $2 FOR UPDATE', [taskId, returnId])
      : { rows: [] as TaskRow[] };
    const before = rows[0];
    if (!before) throw new NotFoundError('task', taskId);
    if (before.done === done) return before;
    const { rows: updated } = await q.query<TaskRow>(
      'UPDATE return_tasks SET done = $2, done_at = $3, done_by = $4, updated_at = $5 WHERE id = $1 RETURNING *',
      [taskId, done, done ? now : null, done ? actor : null, now],
    );
    await insertEntry(q, returnId, { kind: 'event', authorKind: 'agent', author: actor, event: done ? 'task_done' : 'task_reopened', text: `Tarefa ${done ? 'concluída' : 'reaberta'}: ${before.title}`, visibleToClient: false, data: { taskId }, at: now });
    await auditReturn(q, { actor, action: 'return.task_updated', returnId, changes: { [`tasks.${taskId}.done`]: { from: before.done, to: done } }, at: now });
    return updated[0]!;
  });
  return view(task);
}
