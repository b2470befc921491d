import { describe, it, expect } from 'vitest';
import { fork } from 'node:child_process';
import { BACKENDS, openEngine } from '../support/engines.js';
import { eventually } from '../support/ponte.js';

const count = async (db: { query: (s: string) => Promise<{ rows: Array<{ n: number }> }> }, action: string) =>
  (await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = '${action}'`)).rows[0]!.n;

describe.each(BACKENDS)('a worker killed with SIGKILL mid-job on %s', (backend) => {
  it('the job runs again after stalled-job recovery and completes exactly once', async () => {
    const h = await openEngine(backend, { stalledIntervalMs: 1000 });
    const child = fork(new URL('../support/stall-worker.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, STALL_DB_URL: h.url, STALL_REDIS_URL: h.redisUrl ?? '', STALL_NAMESPACE: h.namespace },
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => child.once('message', resolve));
      await h.engine.add('stall', 'x', {}, { jobId: 'only-one', attempts: 3 });
      await eventually(async () => (await count(h.db, 'started')) === 1, 'the child to start the job');
      child.kill('SIGKILL');

      let completions = 0;
      h.engine.worker('stall', async (job) => {
        await h.db.query("INSERT INTO audit_events (actor, action, target_type, target_id) VALUES ('worker', 'completed', 'job', $1)", [job.id]);
        completions += 1;
      }, { concurrency: 1, lockDuration: 2000 });
      await eventually(async () => completions === 1, 'the job to complete after recovery', 30_000);
      const job = await h.engine.queue('stall').getJob('only-one');
      // The processor has returned; BullMQ records the completion just after.
      await eventually(async () => (await job!.getState()) === 'completed', 'the job to be recorded completed');
      expect(await job!.getState()).toBe('completed');
      expect(await count(h.db, 'completed')).toBe(1);
      expect(await count(h.db, 'started')).toBe(1);
    } finally {
      child.kill('SIGKILL');
      await h.close();
    }
  }, 60_000);
});
