// A return's history (seed 003 "histórico"): who changed what, from what to what, and when,
// written to audit_events in the same transaction as the change.

import type { Queryable } from '../store/db.js';

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

export async function listReturnHistory(q: Queryable, returnId: string) {
  const { rows } = await q.query(
    "SELECT id, at, actor, action, changes FROM audit_events WHERE target_type = 'return' AND target_id = $1 ORDER BY id",
    [returnId],
  );
  return rows.map((r) => ({ id: String(r.id), at: r.at.toISOString(), actor: r.actor, action: r.action, changes: r.changes }));
}
