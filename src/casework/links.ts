// Linked returns (seed 003 "atendimentos vinculados"): the same demand seen from several
// returns. Linking and unlinking only between active returns (not closed, not in a final
// situation of their workflow); a link is stored once and listed from both sides.

import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError, type ErrorDetail } from '../errors.js';
import type { Queryable } from '../store/db.js';
import { keysetPage, type PageRequest } from '../store/keyset.js';
import { SqlWhere } from '../store/sql-where.js';
import { isUuid } from '../store/integrations.js';
import { inactiveReason, isActiveReturn } from '../domain/casework-rules.js';
import type { ReturnRow } from '../returns/store.js';
import { insertEntry } from '../returns/timeline.js';
import { auditReturn } from '../returns/audit.js';
import { loadReturn } from '../returns/service.js';
import { getSubject } from './subjects.js';

export type LinkOrigin = 'manual' | 'clone';

const ordered = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

/** Locks both returns (in id order, so two opposite links cannot deadlock). */
async function lockPair(q: Queryable, id: string, otherId: string): Promise<[ReturnRow, ReturnRow]> {
  const ids = [id, otherId].filter(isUuid);
  const { rows } = await q.query<ReturnRow>('SELECT * FROM returns WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids]);
  const self = rows.find((r) => r.id === id);
  const other = rows.find((r) => r.id === otherId);
  if (!self) throw new NotFoundError('return', id);
  if (!other) throw ValidationError.field('returnId', `no return ${otherId}`, 'UNKNOWN_RETURN');
  return [self, other];
}

async function requireActive(q: Queryable, rows: ReturnRow[], verb: string): Promise<void> {
  const problems: ErrorDetail[] = [];
  for (const r of rows) {
    const subject = r.subject_id ? await getSubject(q, r.subject_id, 'share') : undefined;
    if (!isActiveReturn(r, subject)) problems.push({ path: 'returnId', message: `return ${r.id} ${inactiveReason(r)}`, returnId: r.id });
  }
  if (problems.length) throw new ConflictError('RETURN_NOT_ACTIVE', `only active returns can be ${verb}: ${problems.map((p) => p.message).join('; ')}`, problems);
}

/** Writes the link with its timeline event and history entry on both returns. */
export async function insertLink(q: Queryable, id: string, otherId: string, origin: LinkOrigin, actor: string, at: Date): Promise<boolean> {
  const [a, b] = ordered(id, otherId);
  const { rowCount } = await q.query(
    'INSERT INTO return_links (return_a, return_b, origin, created_by, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
    [a, b, origin, actor, at],
  );
  if (!rowCount) return false;
  for (const [self, other] of [[id, otherId], [otherId, id]] as const) {
    await insertEntry(q, self, { kind: 'event', authorKind: 'agent', author: actor, event: 'linked', text: `Vinculado ao retorno ${other}`, visibleToClient: false, data: { returnId: other, origin }, at });
    await auditReturn(q, { actor, action: 'return.linked', returnId: self, changes: { links: { from: null, to: other } }, at });
  }
  return true;
}

export async function linkReturn(deps: Deps, id: string, otherId: string, actor: string) {
  if (id === otherId) throw ValidationError.field('returnId', 'a return cannot be linked to itself', 'LINK_TO_SELF');
  const now = deps.clock.now();
  await deps.db.tx(async (q) => {
    const pair = await lockPair(q, id, otherId);
    await requireActive(q, pair, 'linked');
    if (!(await insertLink(q, id, otherId, 'manual', actor, now))) {
      throw new ConflictError('LINK_EXISTS', `returns ${id} and ${otherId} are already linked`, [{ path: 'returnId', message: 'already linked' }]);
    }
  });
  return (await listLinks(deps, id, { limit: 1, cursor: undefined }, otherId)).items[0]!;
}

export async function unlinkReturn(deps: Deps, id: string, otherId: string, actor: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.tx(async (q) => {
    const pair = await lockPair(q, id, otherId);
    const [a, b] = ordered(id, otherId);
    const { rows } = await q.query('SELECT 1 FROM return_links WHERE return_a = $1 AND return_b = $2', [a, b]);
    if (!rows[0]) throw new NotFoundError('link to return', otherId);
    await requireActive(q, pair, 'unlinked');
    await q.query('DELETE FROM return_links WHERE return_a = $1 AND return_b = $2', [a, b]);
    for (const [self, other] of [[id, otherId], [otherId, id]] as const) {
      await insertEntry(q, self, { kind: 'event', authorKind: 'agent', author: actor, event: 'unlinked', text: `Desvinculado do retorno ${other}`, visibleToClient: false, data: { returnId: other }, at: now });
      await auditReturn(q, { actor, action: 'return.unlinked', returnId: self, changes: { links: { from: other, to: null } }, at: now });
    }
  });
}

interface LinkRow { return_id: string; subject: string; status: string; situation: string | null; subject_id: string | null; origin: LinkOrigin; created_by: string; created_at: Date }

/** One page of the returns linked to this one (or only `otherId`), whichever side the link was made from, oldest link first. */
export async function listLinks(deps: Deps, id: string, page: PageRequest, otherId?: string) {
  await loadReturn(deps, id);
  const where = new SqlWhere();
  const self = where.param(id);
  where.and(`(l.return_a = ${self} OR l.return_b = ${self})`);
  if (otherId) where.and('r.id = ?', otherId);
  const { rows, nextCursor } = await keysetPage<LinkRow>(deps.db, {
    select: 'r.id AS return_id, r.subject, r.status, r.situation, r.subject_id, l.origin, l.created_by, l.created_at',
    from: `return_links l JOIN returns r ON r.id = CASE WHEN l.return_a = ${self} THEN l.return_b ELSE l.return_a END`,
    where,
  }, { columns: [['l.created_at', 'timestamptz'], ['r.id', 'uuid']] }, page);
  return {
    nextCursor,
    items: rows.map((r) => ({
      returnId: r.return_id, subject: r.subject, status: r.status, subjectId: r.subject_id, situation: r.situation,
      origin: r.origin, linkedBy: r.created_by, linkedAt: r.created_at.toISOString(),
    })),
  };
}
