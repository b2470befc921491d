// A job worker whose database starts refusing it for a reason BullMQ would retry at once — here
// its role's connection limit, PostgreSQL's "too many connections", as when a server's
// max_connections is reached — waits between attempts instead of spinning, says why, and runs
// the queue's jobs again once the database lets it back in.

import { afterAll, describe, expect, it } from 'vitest';
import { JobEngine } from '../../src/jobs/engine.js';
import { eventually, uniqueName } from '../support/ponte.js';
import { limitedDatabase } from '../support/limited-role.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a job worker its database stops letting in', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('waits between attempts, reports each wait, and works again once let in', async () => {
    const database = await limitedDatabase();
    closers.push(() => database.drop());

    const reports: Array<{ queue: string; message: string; waitMs: number }> = [];
    const engine = new JobEngine({
      databaseUrl: database.url,
      namespace: `${uniqueName('q')}-`,
      backoffMs: 20,
      onWorkerError: (queue, err, waitMs) => reports.push({ queue, message: err.message, waitMs }),
    });
    closers.push(() => engine.close());
    const done: string[] = [];
    const worker = engine.worker('refused', async (job) => void done.push(job.id!), { concurrency: 4 });
    await engine.add('refused', 'job', {}, { jobId: 'before' });
    await eventually(async () => done.includes('before'), 'the first job to run');

    await database.limit(0);
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

    await database.limit(-1);
    await engine.add('refused', 'job', {}, { jobId: 'after' });
    await eventually(async () => done.includes('after'), 'the job to run once the database lets the worker back in', 30_000);
  }, 60_000);
});
