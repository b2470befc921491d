import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { UnrecoverableError, type Job } from 'bullmq';
import { BACKENDS, openEngine, type EngineHarness } from '../support/engines.js';
import { OutboxRelay, enqueue } from '../../src/jobs/outbox.js';
import { JobEngine } from '../../src/jobs/engine.js';
import { LiveEvents, type LiveEvent } from '../../src/jobs/live.js';
import { createLogger } from '../../src/log.js';
import { eventually } from '../support/ponte.js';

const log = createLogger('silent');
const opts = () => ({ attempts: 4, backoff: { type: 'jittered' } });

describe.each(BACKENDS)('job engine on %s', (backend) => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await openEngine(backend);
  });
  afterAll(async () => {
    await h.close();
  });

  it('adds an outbox job only after its transaction commits, once per jobId', async () => {
    const seen: string[] = [];
    h.engine.worker('outbox-a', async (job: Job) => void seen.push(job.data.n), { concurrency: 2 });
    const relay = new OutboxRelay(h.db, h.engine, opts, log, 60_000);
    await expect(
      h.db.tx(async (q) => {
        await enqueue(q, { queue: 'outbox-a', name: 'x', jobId: 'rolled-back', payload: { n: 'never' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await h.db.tx((q) => enqueue(q, { queue: 'outbox-a', name: 'x', jobId: 'j1', payload: { n: 'one' } }));
    await h.db.tx((q) => enqueue(q, { queue: 'outbox-a', name: 'x', jobId: 'j1', payload: { n: 'dup' } }));
    await relay.flush();
    await relay.flush();
    await eventually(async () => seen.length === 1, 'the job to run');
    expect(seen).toEqual(['one']);
    const { rows } = await h.db.query('SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL');
    expect(rows[0]!.n).toBe(0);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    let calls = 0;
    const done = new Promise<number>((resolve) => {
      const w = h.engine.worker('retry-a', async (job: Job) => {
        calls += 1;
        if (job.attemptsMade < 2) throw new Error('transient');
        return 'ok';
      }, { concurrency: 1 });
      w.on('completed', (job) => resolve(job.attemptsMade));
    });
    await h.engine.add('retry-a', 'x', {}, opts());
    expect(await done).toBeGreaterThanOrEqual(2);
    expect(calls).toBe(3);
  });

  it('fails at once on an unrecoverable error', async () => {
    let calls = 0;
    const failed = new Promise<string>((resolve) => {
      const w = h.engine.worker('fatal-a', async () => {
        calls += 1;
        throw new UnrecoverableError('permanent');
      }, { concurrency: 1 });
      w.on('failed', (_job, err) => resolve(err.message));
    });
    await h.engine.add('fatal-a', 'x', {}, opts());
    expect(await failed).toBe('permanent');
    expect(calls).toBe(1);
  });

  it('runs a delayed job only after its delay', async () => {
    const added = Date.now();
    const ran = new Promise<number>((resolve) => {
      h.engine.worker('delay-a', async () => resolve(Date.now()), { concurrency: 1 });
    });
    await h.engine.add('delay-a', 'x', {}, { delay: 300 });
    expect((await ran) - added).toBeGreaterThanOrEqual(250);
  });

  it('re-adds outbox rows the backend refused once it is back (sweep)', async () => {
    const down = new JobEngine(
      backend === 'redis'
        ? { redisUrl: 'redis://127.0.0.1:1', databaseUrl: h.url, namespace: h.namespace, backoffMs: 20 }
        : { databaseUrl: 'postgresql://postgres@127.0.0.1:1/none', namespace: h.namespace, backoffMs: 20 },
    );
    const broken = new OutboxRelay(h.db, down, opts, log, 60_000);
    await h.db.tx((q) => enqueue(q, { queue: 'sweep-a', name: 'x', jobId: 's1', payload: { n: 1 } }));
    await expect(broken.flush()).rejects.toThrow();
    await down.close();
    const pending = await h.db.query('SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL');
    expect(pending.rows[0]!.n).toBe(1);
    const ran: number[] = [];
    h.engine.worker('sweep-a', async (job: Job) => void ran.push(job.data.n), { concurrency: 1 });
    const relay = new OutboxRelay(h.db, h.engine, opts, log, 100);
    relay.start();
    await eventually(async () => ran.length === 1, 'the swept job to run');
    await relay.stop();
  });

  it('delivers live events published by another engine instance', async () => {
    const other = new JobEngine({ redisUrl: h.redisUrl, databaseUrl: h.url, namespace: h.namespace, backoffMs: 20 });
    try {
      const receiver = new LiveEvents(h.engine);
      const sender = new LiveEvents(other);
      const got: LiveEvent[] = [];
      await receiver.subscribe('chat:1', (e) => got.push(e));
      await eventually(async () => {
        await sender.publish('chat:1', 'message', { n: got.length });
        return got.length > 0;
      }, 'a live event');
      expect(got[0]).toMatchObject({ topic: 'chat:1', type: 'message' });
    } finally {
      await other.close();
    }
  });
});
