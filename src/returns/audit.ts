// A return's history (seed 003 "histórico"): who changed what, from what to what, and when,
// written to audit_events in the same transaction as the change.

import type { Queryable } from '../store/db.js';
import { keysetPage, type PageRequest } from '../store/keyset.js';
import { SqlWhere } from '../store/sql-where.js';

export type Changes = Record<string, { from: unknown; to: unknown }>;

export async function auditReturn(q: Queryable, e: { actor: string; action: string; returnId: string; changes?: Changes; at: Date }): Promise<void> {
  await q.query(
    "INSERT INTO audit_events (at, actor, action, target_type, target_id, changes) VALUES ($1, $2, $3, 'return', $4, $5)",
    [e.at, e.actor, e.action, e.returnId, JSON.stringify(e.changes ?? {})],
  );
}

const comparable = (v: unknown) => (v instanceof Date ? v.toISOString() : v ?? null);

/** The fields whose value differs, as {field: {from, to}} (dates compared as ISO strings). */
export function diff<T extends object>(before: T, after: T, fields: Record<string, keyof T>): Changes {
  const changes: Changes = {};
  for (const [name, key] of Object.entries(fields)) {
    const from = comparable(before[key]);
    const to = comparable(after[key]);
    if (from !== to) changes[name] = { from, to };
  }
  return changes;
}

/** One page of the return's changes in the order they were made (by audit id). */
export async function listReturnHistory(q: Queryable, returnId: string, page: PageRequest) {
  const where = new SqlWhere().and("target_type = 'return'").and('target_id = ?', returnId);
  const { rows, nextCursor } = await keysetPage<{ id: string; at: Date; actor: string; action: string; changes: Record<string, unknown> }>(
    q, { select: 'id, at, actor, action, changes', from: 'audit_events', where }, { columns: [['id', 'bigint']] }, page);
  return { items: rows.map((r) => ({ id: String(r.id), at: r.at.toISOString(), actor: r.actor, action: r.action, changes: r.changes })), nextCursor };
}
