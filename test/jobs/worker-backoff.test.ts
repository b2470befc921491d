// A job worker whose database starts refusing it for a reason BullMQ would retry at once — here
// its role's connection limit, PostgreSQL's "too many connections", as when a server's
// max_connections is reached — waits between attempts instead of spinning, says why, and runs
// the queue's jobs again once the database lets it back in.

import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { inject } from 'vitest';
import { JobEngine } from '../../src/jobs/engine.js';
import { createDb } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { eventually, uniqueName } from '../support/ponte.js';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a job worker its database stops letting in', () => {
  const role = uniqueName('limited');
  const database = uniqueName('ponte');
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('waits between attempts, reports each wait, and works again once let in', async () => {
    await admin(`CREATE ROLE ${role} LOGIN NOSUPERUSER`);
    await admin(`CREATE DATABASE ${database} OWNER ${role}`);
    closers.push(async () => {
      await admin(`DROP DATABASE ${database} WITH (FORCE)`);
      await admin(`DROP ROLE ${role}`);
    });
    const url = new URL(inject('databaseUrl'));
    url.username = role;
    url.pathname = `/${database}`;
    const db = createDb(url.toString(), 2);
    await migrate(db, { bullmq: true });
    await db.close();

    const reports: Array<{ queue: string; message: string; waitMs: number }> = [];
    const engine = new JobEngine({
      databaseUrl: url.toString(),
      namespace: `${uniqueName('q')}-`,
      backoffMs: 20,
      onWorkerError: (queue, err, waitMs) => reports.push({ queue, message: err.message, waitMs }),
    });
    closers.push(() => engine.close());
    const done: string[] = [];
    const worker = engine.worker('refused', async (job) => void done.push(job.id!), { concurrency: 4 });
    await engine.add('refused', 'job', {}, { jobId: 'before' });
    await eventually(async () => done.includes('before'), 'the first job to run');

    await admin(`ALTER ROLE ${role} CONNECTION LIMIT 0`);
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${role}'`);
    let errors = 0;
    worker.on('error', () => errors++);
    await eventually(async () => reports.some((r) => r.message.includes('too many connections for role')), 'the refusal to be reported');
    const refusedAt = reports.findIndex((r) => r.message.includes('too many connections for role'));
    await eventually(async () => reports.length >= refusedAt + 3, 'three waits after the refusal');
    await sleep(500);
    // Retrying at once, the worker made thousands of attempts a second; waiting, a handful.
    expect(errors).toBeLessThan(30);
    expect(reports.every((r) => r.queue === 'refused')).toBe(true);
    const waits = reports.map((r) => r.waitMs);
    expect(waits[0]).toBe(250);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBe(Math.min(5_000, waits[i - 1]! * 2));

    await admin(`ALTER ROLE ${role} CONNECTION LIMIT -1`);
    await engine.add('refused', 'job', {}, { jobId: 'after' });
    await eventually(async () => done.includes('after'), 'the job to run once the database lets the worker back in', 30_000);
  }, 60_000);
});
