// What the details panel knows about a chat's client from ponte's own tables: contact count,
// satisfaction average, ERP-pushed markers and product versions.

import type { Queryable } from './db.js';
import { listMarkers, type ListedMarker } from '../domain/marker-list.js';

export interface ClientKey { email: string | null; code: string | null }

export interface ClientStats {
  /** Chats of this client (same e-mail or same client code), this one included. */
  contactCount: number;
  /** Average of the rated chats' scores, one decimal; null when none was rated. */
  satisfactionAverage: number | null;
  ratedChats: number;
}

export async function clientStats(q: Queryable, key: ClientKey): Promise<ClientStats> {
  const { rows } = await q.query<{ n: number; rated: number; avg: string | null }>(
    `SELECT count(*)::int AS n, count(rating)::int AS rated, round(avg(rating)::numeric, 1)::text AS avg FROM chats
     WHERE ($1::text IS NOT NULL AND client_email = $1) OR ($2::text IS NOT NULL AND client_code = $2)`,
    [key.email, key.code],
  );
  const r = rows[0]!;
  return { contactCount: r.n, satisfactionAverage: r.avg === null ? null : Number(r.avg), ratedChats: r.rated };
}

export interface ClientMarkers { delinquent: boolean; since: string | null; reason: string | null; occurredAt: string | null; items: ListedMarker[] }
export interface ProductVersion { system: string; used: string | null; entitled: string | null; downloaded: string | null; occurredAt: string | null }

const UNDEFINED_TABLE = '42P01';

/** The markers and versions tables arrive with the ERP-push feature; until then, nothing is known. */
async function ifTableExists<T>(read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if ((err as { code?: string }).code === UNDEFINED_TABLE) return fallback;
    throw err;
  }
}

const iso = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : String(d));

export function clientMarkers(q: Queryable, code: string): Promise<ClientMarkers | null> {
  return ifTableExists(async () => {
    const { rows } = await q.query('SELECT delinquent, since::text AS since, reason, markers, occurred_at FROM client_markers WHERE client_code = $1', [code]);
    const r = rows[0];
    if (!r) return null;
    const stored = { delinquent: Boolean(r.delinquent), since: r.since ?? null, reason: r.reason ?? null, markers: r.markers ?? [] };
    return { delinquent: stored.delinquent, since: stored.since, reason: stored.reason, occurredAt: iso(r.occurred_at), items: listMarkers(stored) };
  }, null);
}

export function productVersions(q: Queryable, code: string, systems: string[]): Promise<ProductVersion[]> {
  if (systems.length === 0) return Promise.resolve([]);
  return ifTableExists(async () => {
    const { rows } = await q.query(
      `SELECT system, used::text AS used, entitled::text AS entitled, downloaded::text AS downloaded, occurred_at FROM client_product_versions
       WHERE client_code = $1 AND system = ANY($2::text[]) ORDER BY array_position($2::text[], system)`,
      [code, systems],
    );
    return rows.map((r) => ({ system: r.system, used: r.used ?? null, entitled: r.entitled ?? null, downloaded: r.downloaded ?? null, occurredAt: iso(r.occurred_at) }));
  }, []);
}
