// The admin dashboard's numbers: integrations finished per hour over the last 24 hours by
// outcome (the chart), integrations by status, the outbox backlog and the age of the oldest
// integration still pending, and the ERP's state. Each figure is one bounded query.

import type { Deps } from '../deps.js';
import type { ErpStateView } from '../health/erp-state.js';
import type { IntegrationStatus } from '../store/integrations.js';
import { STATUSES } from './filter.js';

/** The outcomes the chart shows: how an integration ended. */
export const OUTCOMES = ['succeeded', 'failed', 'dead', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const HOURS = 24;
const HOUR_MS = 3_600_000;

export interface HourBucket {
  /** Start of the hour (UTC instant; the page shows it in America/Sao_Paulo). */
  hour: string;
  counts: Record<Outcome, number>;
}

export interface DashboardView {
  generatedAt: string;
  hourly: HourBucket[];
  counts: Record<IntegrationStatus, number>;
  /** Outbox rows not yet handed to the job backend. */
  outboxBacklog: number;
  /** Age of the oldest integration still pending or running, in seconds; null when none. */
  oldestPendingAgeSeconds: number | null;
  oldestPendingAt: string | null;
  erp: ErpStateView & { connector: string };
}

/** The 24 hours ending with the current one, oldest first, zero-filled. Pure. */
export function hourlyBuckets(now: Date, rows: Array<{ hour: Date; status: string; n: number }>): HourBucket[] {
  const current = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const buckets = Array.from({ length: HOURS }, (_, i): HourBucket => ({
    hour: new Date(current - (HOURS - 1 - i) * HOUR_MS).toISOString(),
    counts: { succeeded: 0, failed: 0, dead: 0, cancelled: 0 },
  }));
  const first = current - (HOURS - 1) * HOUR_MS;
  for (const r of rows) {
    const i = Math.floor((r.hour.getTime() - first) / HOUR_MS);
    if (i < 0 || i >= HOURS || !(OUTCOMES as readonly string[]).includes(r.status)) continue;
    buckets[i]!.counts[r.status as Outcome] += r.n;
  }
  return buckets;
}

export async function dashboard(deps: Pick<Deps, 'db' | 'clock' | 'erp' | 'connector'>): Promise<DashboardView> {
  const now = deps.clock.now();
  const from = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (HOURS - 1) * HOUR_MS);
  const [hourly, counts, backlog, oldest, erp] = await Promise.all([
    deps.db.query<{ hour: Date; status: string; n: string }>(
      // Bucketed in SQL by epoch hours, so the answer does not depend on the session's time zone.
      `SELECT date_bin('1 hour', finished_at, timestamptz 'epoch') AS hour, status, count(*) AS n
         FROM integrations WHERE finished_at >= $1 AND finished_at <= $2 GROUP BY 1, 2`,
      [from, now],
    ),
    deps.db.query<{ status: IntegrationStatus; n: string }>('SELECT status, count(*) AS n FROM integrations GROUP BY status'),
    deps.db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE dispatched_at IS NULL'),
    deps.db.query<{ at: Date | null }>("SELECT min(created_at) AS at FROM integrations WHERE status IN ('pending', 'running')"),
    deps.erp.current(),
  ]);
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<IntegrationStatus, number>;
  for (const r of counts.rows) byStatus[r.status] = Number(r.n);
  const oldestAt = oldest.rows[0]?.at ?? null;
  return {
    generatedAt: now.toISOString(),
    hourly: hourlyBuckets(now, hourly.rows.map((r) => ({ hour: new Date(r.hour), status: r.status, n: Number(r.n) }))),
    counts: byStatus,
    outboxBacklog: Number(backlog.rows[0]?.n ?? 0),
    oldestPendingAgeSeconds: oldestAt ? Math.max(0, Math.floor((now.getTime() - new Date(oldestAt).getTime()) / 1000)) : null,
    oldestPendingAt: oldestAt ? new Date(oldestAt).toISOString() : null,
    erp: { ...erp, connector: deps.connector.name },
  };
}
