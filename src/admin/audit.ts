// The audit trail of admin actions (replays, patches, cancels, bulk replays, keys created and revoked):
// who (the API key's name, or "cli"), when, on what, and what changed.

import type { Queryable } from '../store/db.js';
import type { Statement } from '../store/statement.js';
import { decodeCursor, encodeCursor, isSerial, pageLimit } from './cursor.js';
import { SqlWhere } from '../store/sql-where.js';

export type AuditAction =
  | 'integration.patched'
  | 'integration.replayed'
  | 'integration.replay_refused'
  | 'integration.cancelled'
  | 'integrations.bulk_replay_queued'
  | 'key.created'
  | 'data_subject.erasure_requested'
  | 'data_subject.erased'
  | 'data_subject.anonymized'
  | 'data_subject.corrected'
  | 'key.revoked';

export interface AuditEntry {
  actor: string;
  action: AuditAction;
  targetType: string;
  targetId: string;
  changes?: Record<string, unknown>;
}

export interface AuditView {
  id: string;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  changes: Record<string, unknown>;
}

/** Written in the caller's transaction, so an action and its audit line commit together. */
export async function recordAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    'INSERT INTO audit_events (actor, action, target_type, target_id, changes) VALUES ($1, $2, $3, $4, $5)',
    [e.actor, e.action, e.targetType, e.targetId, JSON.stringify(e.changes ?? {})],
  );
}

/** Several audit lines as one statement, to be sent with the change they record. */
export function auditAllStatement(entries: AuditEntry[]): Statement {
  const rows = entries.map((e) => ({ actor: e.actor, action: e.action, target_type: e.targetType, target_id: e.targetId, changes: e.changes ?? {} }));
  return {
    text: `INSERT INTO audit_events (actor, action, target_type, target_id, changes)
     SELECT x.actor, x.action, x.target_type, x.target_id, x.changes FROM json_to_recordset($1::json) AS x(actor text, action text, target_type text, target_id text, changes jsonb)`,
    values: [JSON.stringify(rows)],
  };
}

export interface AuditQuery {
  action?: string;
  targetId?: string;
  actor?: string;
  limit?: number;
  cursor?: string;
}

/** Newest first, keyset-paginated on the event id. */
export async function listAudit(q: Queryable, query: AuditQuery): Promise<{ items: AuditView[]; nextCursor: string | null }> {
  const limit = pageLimit(query.limit);
  const where = new SqlWhere();
  if (query.action) where.and('action = ?', query.action);
  if (query.targetId) where.and('target_id = ?', query.targetId);
  if (query.actor) where.and('actor = ?', query.actor);
  if (query.cursor) where.and('id < ?::bigint', decodeCursor<[string]>(query.cursor, [isSerial])[0]);
  const { rows } = await q.query(
    `SELECT id, at, actor, action, target_type, target_id, changes FROM audit_events
     ${where} ORDER BY id DESC LIMIT ${limit + 1}`,
    where.values,
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({ id: String(r.id), at: r.at.toISOString(), actor: r.actor, action: r.action, targetType: r.target_type, targetId: r.target_id, changes: r.changes })),
    nextCursor: rows.length > limit ? encodeCursor([String(page[page.length - 1]!.id)]) : null,
  };
}
