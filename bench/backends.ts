// Bare BullMQ no-op jobs/s on Redis, PostgreSQL and PGlite, in one run: the baseline every
// other job benchmark divides by. Run alone: npx tsx bench/backends.ts

import { JobEngine } from '../src/jobs/engine.js';
import { createDb } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { startEmbeddedDatabase } from '../src/store/embedded.js';
import { startServers, type Servers } from './lib/servers.js';
import { table, machine, type Row } from './lib/report.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Backend = 'redis' | 'postgres' | 'pglite';
const CONCURRENCY = 50;

/** Adds `n` jobs in bulk and measures until a worker running `work` (`concurrency` at once) has finished them all. */
export async function jobsPerSecond(engine: JobEngine, n: number, options: { concurrency: number; work: (i: number) => Promise<void> }): Promise<number> {
  let done = 0;
  let failed: unknown;
  let finish: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (finish = resolve));
  const worker = engine.worker('bench', async (job) => {
    try {
      await options.work((job.data as { i: number }).i);
    } catch (err) {
      failed ??= err;
    } finally {
      if (++done === n) finish();
    }
  }, { concurrency: options.concurrency });
  await worker.waitUntilReady();
  const started = performance.now();
  for (let i = 0; i < n; i += 500) {
    await engine.queue('bench').addBulk(Array.from({ length: Math.min(500, n - i) }, (_, k) => ({ name: 'bench', data: { i: i + k }, opts: { removeOnComplete: true } })));
  }
  await all;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  if (failed) throw failed;
  return n / seconds;
}

export function noopJobsPerSecond(engine: JobEngine, n: number): Promise<number> {
  return jobsPerSecond(engine, n, { concurrency: CONCURRENCY, work: async () => undefined });
}

export async function withEngine<T>(backend: Backend, servers: Servers, fn: (engine: JobEngine) => Promise<T>): Promise<T> {
  if (backend === 'pglite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-'));
    const embedded = await startEmbeddedDatabase(dir);
    const db = createDb(embedded.url, { max: 2 });
    await migrate(db, { bullmq: true });
    const engine = new JobEngine({ databaseUrl: embedded.url, backoffMs: 100, namespace: 'bench-' });
    try {
      return await fn(engine);
    } finally {
      await engine.close();
      await db.close();
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const databaseUrl = await servers.freshDatabase();
  const db = createDb(databaseUrl, { max: 2 });
  await migrate(db, { bullmq: backend === 'postgres' });
  const engine = new JobEngine({ databaseUrl, redisUrl: backend === 'redis' ? servers.redisUrl : undefined, backoffMs: 100, namespace: `bench-${Date.now()}-` });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
    await db.close();
  }
}

export async function benchBackends(servers: Servers, n = { redis: 20_000, postgres: 5_000, pglite: 2_000 }): Promise<Record<Backend, number>> {
  const out = {} as Record<Backend, number>;
  for (const backend of ['redis', 'postgres', 'pglite'] as Backend[]) {
    out[backend] = await withEngine(backend, servers, (engine) => noopJobsPerSecond(engine, n[backend]));
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const servers = await startServers();
  try {
    const r = await benchBackends(servers);
    const rows: Row[] = (Object.keys(r) as Backend[]).map((b) => ({ backend: b, 'no-op jobs/s': Math.round(r[b]), 'vs redis': `${(r[b] / r.redis).toFixed(2)}×` }));
    process.stdout.write(`${machine()}\n\n${table('Bare BullMQ no-op jobs (concurrency 50)', rows)}\n`);
  } finally {
    await servers.stop();
  }
}
