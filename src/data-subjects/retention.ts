// Retention that deletes (LGPD art. 15-16: data is kept only as long as needed): a BullMQ job
// scheduler runs this every RETENTION_INTERVAL_MS; each kind is worked in batches with its own
// setting (0 = kept), progress in the logs and in `ponte_retention_rows_total{kind}`. Closed
// chats and returns go through the erasure engine (files, copies in integrations, deliveries).

import { Counter } from 'prom-client';
import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { metricsOf } from '../admin/metrics.js';
import { Scrubber, pseudonymsFor } from '../domain/data-subject-scrub.js';
import { collectScope } from './scope.js';
import { BATCH, runBatch, stepsFor, type Run } from './engine.js';

export type RetentionKind = 'attemptExchanges' | 'closedChats' | 'closedReturns' | 'mailBodies' | 'webhookDeliveries' | 'accessLog';

const DAY_MS = 86_400_000;
const NONE = { emails: [], clientCodes: [], taxIds: [], phones: [] };

const counters = new WeakMap<Deps, Counter<'kind'>>();
function counter(deps: Deps): Counter<'kind'> {
  let c = counters.get(deps);
  if (!c) {
    c = new Counter({ name: 'ponte_retention_rows_total', help: 'Rows deleted or emptied by retention, by kind.', labelNames: ['kind'], registers: [metricsOf(deps).registry] });
    counters.set(deps, c);
  }
  return c;
}

/** Runs one statement touching at most BATCH rows until it touches fewer. */
async function inBatches(deps: Deps, sql: string, values: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const n = (await deps.db.query(sql, values)).rowCount ?? 0;
    total += n;
    if (n < BATCH) return total;
  }
}

/** Chats or returns chosen by age, erased a few records at a time with everything they own. */
async function eraseRecords(deps: Deps, list: 'chats' | 'returns', pick: (q: Queryable) => Promise<string[]>): Promise<number> {
  const size = BATCH / 4;
  let total = 0;
  for (;;) {
    const ids = await pick(deps.db);
    if (!ids.length) return total;
    const scope = await collectScope(deps.db, NONE, { chats: list === 'chats' ? ids : [], returns: list === 'returns' ? ids : [] });
    const run: Run = { mode: 'erase', scope, scrubber: new Scrubber(scope.known, pseudonymsFor('retencao')), mentions: false, uploadDir: deps.uploadDir, jobs: deps.jobs };
    for (const step of stepsFor('erase', false)) {
      let cursor: unknown[] | null = null;
      for (;;) {
        const result = await runBatch(deps.db, run, step, cursor);
        cursor = result.cursor;
        if (result.done) break;
      }
    }
    total += ids.length;
    if (ids.length < size) return total;
  }
}

/** Everything older than its setting at `now`, and nothing younger. */
export async function runRetention(deps: Deps, now: Date = deps.clock.now()): Promise<Record<RetentionKind, number>> {
  const c = deps.config;
  const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const log = deps.log.child({ component: 'retention' });
  const out: Record<RetentionKind, number> = { attemptExchanges: 0, closedChats: 0, closedReturns: 0, mailBodies: 0, webhookDeliveries: 0, accessLog: 0 };
  const batch = `LIMIT ${BATCH}`;
  const kinds: Array<[RetentionKind, number, (before: Date) => Promise<number>]> = [
    ['attemptExchanges', c.retentionAttemptExchangesDays, (before) => inBatches(deps,
      `UPDATE integration_attempts SET exchanges = '[]'::jsonb WHERE id IN (SELECT id FROM integration_attempts WHERE started_at < $1 AND exchanges <> '[]'::jsonb ${batch})`, [before])],
    ['mailBodies', c.retentionMailBodiesDays, (before) => inBatches(deps,
      `UPDATE mail_messages SET text = '', html = '' WHERE id IN (SELECT id FROM mail_messages WHERE created_at < $1 AND status <> 'queued' AND (text <> '' OR html <> '') ${batch})`, [before])],
    ['webhookDeliveries', c.retentionWebhookDeliveriesDays, async (before) => (await inBatches(deps,
      `DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE created_at < $1 AND status IN ('delivered', 'failed', 'cancelled') ${batch})`, [before]))
      + (await inBatches(deps, `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE dispatched_at < $1 ${batch})`, [before]))],
    ['closedReturns', c.retentionClosedReturnsDays, (before) => eraseRecords(deps, 'returns', async (q) => (await q.query<{ id: string }>(
      `SELECT id::text FROM returns WHERE status = 'closed' AND closed_at < $1 ORDER BY closed_at LIMIT ${BATCH / 4}`, [before])).rows.map((r) => r.id))],
    ['closedChats', c.retentionClosedChatsDays, (before) => eraseRecords(deps, 'chats', async (q) => (await q.query<{ id: string }>(
      `SELECT id::text FROM chats WHERE status = 'closed' AND closed_at < $1 ORDER BY closed_at LIMIT ${BATCH / 4}`, [before])).rows.map((r) => r.id))],
    ['accessLog', c.accessLogRetentionDays, (before) => inBatches(deps, `DELETE FROM access_log WHERE id IN (SELECT id FROM access_log WHERE at < $1 ${batch})`, [before])],
  ];
  for (const [kind, days, apply] of kinds) {
    if (days <= 0) continue;
    out[kind] = await apply(cutoff(days));
    if (out[kind]) {
      counter(deps).inc({ kind }, out[kind]);
      log.info({ kind, rows: out[kind], olderThanDays: days }, 'retention applied');
    }
  }
  return out;
}
