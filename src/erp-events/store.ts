// SQL of ERP pushes: the event log (erp_events) and the state it feeds (client_markers,
// client_product_versions). Staleness is decided in SQL so timestamps keep full precision.

import type { Queryable } from '../store/db.js';
import type { ErpEvent, ErpEventOutcome, StoredMarkerItem } from '../domain/erp-event-rules.js';
import { versionKey, type StoredMarker, type StoredVersion } from '../domain/erp-event-plan.js';

const CANONICAL = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Records the events once each; returns the ids that were new (the others are duplicates). */
export async function recordEvents(q: Queryable, events: Array<{ event: ErpEvent; outcome: ErpEventOutcome }>, receivedAt: Date): Promise<Set<string>> {
  // Sorted by id: concurrent pushes repeating events wait on each other in one order.
  const rows = [...events].sort((a, b) => a.event.id.localeCompare(b.event.id)).map(({ event, outcome }) => ({ id: event.id, type: event.type, client_code: event.data.clientCode, occurred_at: event.occurredAt, data: event.data, outcome }));
  const { rows: inserted } = await q.query<{ id: string }>(
    `INSERT INTO erp_events (id, type, client_code, occurred_at, received_at, data, outcome, applied_at)
     SELECT e.id, e.type, e.client_code, e.occurred_at, $2, e.data, e.outcome, CASE WHEN e.outcome = 'applied' THEN $2::timestamptz END
     FROM json_to_recordset($1::json) AS e(id text, type text, client_code text, occurred_at timestamptz, data jsonb, outcome text)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [JSON.stringify(rows), receivedAt],
  );
  return new Set(inserted.map((r) => r.id));
}

export async function setOutcomes(q: Queryable, ids: string[], outcome: 'applied' | 'stale', at: Date): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `UPDATE erp_events SET outcome = $2, applied_at = CASE WHEN $2 = 'applied' THEN $3::timestamptz END WHERE id = ANY($1::text[])`,
    [ids, outcome, at],
  );
}

/** The stored markers of these clients, locked in code order (concurrent pushes lock alike). */
export async function lockMarkers(q: Queryable, codes: string[]): Promise<Map<string, StoredMarker>> {
  if (codes.length === 0) return new Map();
  // FOR UPDATE locks no row for a client seen the first time: without this lock two concurrent
  // transactions would both insert its marker and both announce the same change.
  await q.query("SELECT pg_advisory_xact_lock(hashtext('client_markers:' || c)) FROM unnest($1::text[]) AS c ORDER BY c", [codes]);
  const { rows } = await q.query<{ client_code: string; delinquent: boolean; since: string | null; reason: string | null; markers: StoredMarkerItem[]; occurred_at: string }>(
    `SELECT client_code, delinquent, to_char(since, 'YYYY-MM-DD') AS since, reason, markers, ${CANONICAL} AS occurred_at
     FROM client_markers WHERE client_code = ANY($1::text[]) ORDER BY client_code FOR UPDATE`,
    [codes],
  );
  return new Map(rows.map((r) => [r.client_code, { delinquent: r.delinquent, since: r.since, reason: r.reason, markers: r.markers, occurredAt: r.occurred_at }]));
}

/** The instant of each stored product version of these clients, by versionKey; rows locked in key order. */
export async function lockVersions(q: Queryable, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const { rows } = await q.query<{ client_code: string; system: string; occurred_at: string }>(
    `SELECT client_code, system, ${CANONICAL} AS occurred_at FROM client_product_versions
     WHERE client_code = ANY($1::text[]) ORDER BY client_code, system FOR UPDATE`,
    [codes],
  );
  return new Map(rows.map((r) => [versionKey(r.client_code, r.system), r.occurred_at]));
}

/**
 * Writes the planned markers; the guard keeps a newer row another transaction inserted
 * meanwhile. Returns the client codes actually written.
 */
export async function writeMarkers(q: Queryable, markers: Map<string, StoredMarker>): Promise<Set<string>> {
  if (markers.size === 0) return new Set();
  const rows = [...markers].sort(([a], [b]) => a.localeCompare(b)).map(([code, m]) => ({ client_code: code, delinquent: m.delinquent, since: m.since, reason: m.reason, markers: m.markers ?? [], occurred_at: m.occurredAt }));
  const { rows: written } = await q.query<{ client_code: string }>(
    `INSERT INTO client_markers (client_code, delinquent, since, reason, markers, occurred_at, updated_at)
     SELECT m.client_code, m.delinquent, m.since, m.reason, m.markers, m.occurred_at, now()
     FROM json_to_recordset($1::json) AS m(client_code text, delinquent boolean, since date, reason text, markers jsonb, occurred_at timestamptz)
     ON CONFLICT (client_code) DO UPDATE SET delinquent = EXCLUDED.delinquent, since = EXCLUDED.since, reason = EXCLUDED.reason,
       markers = EXCLUDED.markers, occurred_at = EXCLUDED.occurred_at, updated_at = now()
     WHERE client_markers.occurred_at <= EXCLUDED.occurred_at
     RETURNING client_code`,
    [JSON.stringify(rows)],
  );
  return new Set(written.map((r) => r.client_code));
}

export async function writeVersions(q: Queryable, versions: Iterable<StoredVersion & { clientCode: string }>): Promise<void> {
  const rows = [...versions].map((v) => ({ client_code: v.clientCode, system: v.system, used: v.used, entitled: v.entitled, downloaded: v.downloaded, occurred_at: v.occurredAt }));
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO client_product_versions (client_code, system, used, entitled, downloaded, occurred_at)
     SELECT v.client_code, v.system, v.used, v.entitled, v.downloaded, v.occurred_at
     FROM json_to_recordset($1::json) AS v(client_code text, system text, used text, entitled text, downloaded text, occurred_at timestamptz)
     ON CONFLICT (client_code, system) DO UPDATE SET used = EXCLUDED.used, entitled = EXCLUDED.entitled,
       downloaded = EXCLUDED.downloaded, occurred_at = EXCLUDED.occurred_at
     WHERE client_product_versions.occurred_at <= EXCLUDED.occurred_at`,
    [JSON.stringify(rows)],
  );
}

/** Client codes ponte already knows: a chat carries them, or ERP state was applied for them. */
export async function knownClientCodes(q: Queryable, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const { rows } = await q.query<{ client_code: string }>(
    `SELECT client_code FROM chats WHERE client_code = ANY($1::text[])
     UNION SELECT client_code FROM client_markers WHERE client_code = ANY($1::text[])
     UNION SELECT client_code FROM client_product_versions WHERE client_code = ANY($1::text[])`,
    [codes],
  );
  return new Set(rows.map((r) => r.client_code));
}

export interface PendingEventRow { id: string; type: ErpEvent['type']; occurred_at: string; data: ErpEvent['data'] }

/** Events kept for clients that ponte now knows, oldest first, locked for this transaction. */
export async function claimPendingEvents(q: Queryable, limit: number): Promise<PendingEventRow[]> {
  const { rows } = await q.query<PendingEventRow>(
    `SELECT e.id, e.type, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at, e.data FROM erp_events e
     WHERE e.outcome = 'pending_client'
       AND (EXISTS (SELECT 1 FROM chats c WHERE c.client_code = e.client_code)
         OR EXISTS (SELECT 1 FROM client_markers m WHERE m.client_code = e.client_code)
         OR EXISTS (SELECT 1 FROM client_product_versions v WHERE v.client_code = e.client_code))
     ORDER BY e.occurred_at, e.received_at
     LIMIT $1 FOR UPDATE OF e SKIP LOCKED`,
    [limit],
  );
  return rows;
}

/** Open chats (not closed) of these clients: where a marker change is shown live. */
export async function openChatsOf(q: Queryable, codes: string[]): Promise<Array<{ id: string; client_code: string }>> {
  if (codes.length === 0) return [];
  const { rows } = await q.query<{ id: string; client_code: string }>(
    `SELECT id, client_code FROM chats WHERE client_code = ANY($1::text[]) AND status <> 'closed'`,
    [codes],
  );
  return rows;
}

/** Client codes of open chats: whose markers the pull refreshes. */
export async function openChatClientCodes(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ client_code: string }>(`SELECT DISTINCT client_code FROM chats WHERE status <> 'closed' AND client_code IS NOT NULL`);
  return rows.map((r) => r.client_code);
}
