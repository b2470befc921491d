// Database round trips per operation (statements sent through `pg`), counted, not timed:
// one session ingest (50 messages, 2 integrations), its outbox dispatch, one integration job.
// Run alone: npx tsx bench/round-trips.ts

import pg from 'pg';
import { benchSession } from './lib/sessions.js';
import { startBenchPonte, BENCH_KEY, type Mode } from './lib/ponte.js';
import { startServers, type Servers } from './lib/servers.js';
import { table } from './lib/report.js';
import { integrationProcessor } from '../src/integration/worker.js';
import { createLogger } from '../src/log.js';
import { ErpOutage } from '../src/integration/outage.js';
import { QUEUES } from '../src/jobs/queues.js';

let current: Map<string, number> | undefined;
const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: unknown, ...args: unknown[]) {
  if (current) {
    const a = args[0] as string | { text?: string };
    const text = (typeof a === 'string' ? a : a?.text ?? '?').replace(/\s+/g, ' ').replace(/'[^']*'/g, '?').replace(/\b\d+\b/g, '?').trim().slice(0, 90);
    current.set(text, (current.get(text) ?? 0) + 1);
  }
  return original.apply(this, args);
};

async function counted(fn: () => Promise<unknown>): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  current = m;
  try {
    await fn();
  } finally {
    current = undefined;
  }
  return m;
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const top = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([t, n]) => `${n}× \`${t}\``).join('<br>');

/** One session in, its dispatch, its first integration's job and the dispatch after: the statements of each. */
async function oneRound(p: Awaited<ReturnType<typeof startBenchPonte>>, subject: string) {
  const session = benchSession(50);
  const first = session.integrations![0]!;
  session.integrations = [{ ...first, subject, multiple: true } as never, { ...first, subject: `${subject} (2)`, multiple: true } as never];
  let ids: string[] = [];
  const ingest = await counted(async () => {
    const r = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: { authorization: `Bearer ${BENCH_KEY}` }, payload: session });
    if (r.statusCode >= 300) throw new Error(`POST /v1/sessions answered ${r.statusCode}: ${r.body}`);
    ids = (r.json() as { integrations: Array<{ id: string }> }).integrations.map((i) => i.id);
  });
  const dispatch = await counted(() => p.deps.relay.flush());
  const log = createLogger('silent');
  const outage = new ErpOutage((ctx) => p.deps.connector.listResponsibilityCenters(ctx), () => p.deps.jobs.queue(QUEUES.integrations), { probeMs: p.deps.config.erpProbeMs, failuresBeforeProbe: p.deps.config.erpOutageFailures }, log);
  const processor = integrationProcessor(p.deps, log, outage);
  const job = await counted(() => processor({ id: ids[0], data: { integrationId: ids[0] }, attemptsMade: 0, opts: { attempts: 5 } } as never));
  // What the job's kick started: the relay's next poll, then nothing left in the background.
  await new Promise((r) => setTimeout(r, 300));
  const after = await counted(() => p.deps.relay.flush());
  return { ingest, dispatch, job, after };
}

export async function roundTrips(mode: Mode, servers: Servers): Promise<Array<Record<string, string | number>>> {
  const p = await startBenchPonte(mode, servers, { workers: false, relay: false });
  try {
    // A first round warms the lookup cache (a warm cache makes no ERP call, so no ERP-slot
    // statement) and lets BullMQ's queue set-up finish; the second round is the one counted.
    await oneRound(p, 'Warm-up');
    await new Promise((r) => setTimeout(r, 500));
    const { ingest, dispatch, job, after } = await oneRound(p, 'Bench');
    return [
      ['POST /v1/sessions (50 messages, 2 integrations), lookups warm', ingest],
      ['outbox dispatch of that session (relay)', dispatch],
      ['one integration job (claim, steps, attempt, finish)', job],
      ['outbox dispatch after the job (relay)', after],
    ].map(([op, m]) => ({ mode, operation: op as string, statements: total(m as Map<string, number>), 'dominant statements': top(m as Map<string, number>) }));
  } finally {
    await p.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const servers = await startServers();
  try {
    const rows = [];
    for (const mode of ['embedded', 'postgres'] as Mode[]) rows.push(...(await roundTrips(mode, servers)));
    process.stdout.write(`${table(`Database round trips per operation (statements through pg, ${new Date().toISOString().slice(0, 10)})`, rows)}\n`);
  } finally {
    await servers.stop();
  }
}
