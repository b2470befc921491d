import { describe, it, expect } from 'vitest';
import { inject } from 'vitest';
import { startPonte, uniqueName, eventually, API_KEYS, SECRET_KEY } from '../support/ponte.js';
import { sandbox } from '../support/fixtures.js';
import { allSucceeded, casesPerIntegration, postSessions, spawnWorker, statuses, SCALE } from './drill-kit.js';

describe('drill: a worker process is killed with SIGKILL while jobs are in flight', () => {
  it('every integration still ends succeeded, exactly once in the ERP', async () => {
    const erp = await sandbox();
    const prefix = uniqueName('drill');
    const p = await startPonte('redis', { workers: false, namespace: prefix, env: { ...erp.env, QUEUE_PREFIX: prefix } });
    const workerEnv = { ...erp.env, DATABASE_URL: p.config.databaseUrl!, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix, STALLED_INTERVAL_MS: '1000', PONTE_API_KEYS: API_KEYS, PONTE_SECRET_KEY: SECRET_KEY };
    // Every ERP create is slow, so the killed worker surely holds jobs.
    erp.sandbox.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 1000, action: { type: 'delay', ms: 300 } });
    const first = spawnWorker(workerEnv);
    let second: ReturnType<typeof spawnWorker> | undefined;
    try {
      const ids = await postSessions(p, 40 * SCALE);
      await eventually(async () => ((await statuses(p, ids)).succeeded ?? 0) >= 5, 'the first worker to make progress', 60_000);
      first.kill('SIGKILL');
      second = spawnWorker(workerEnv);
      await allSucceeded(p, ids, 120_000);
      expect(casesPerIntegration(erp.sandbox, ids).every((n) => n === 1)).toBe(true);
    } finally {
      first.kill('SIGKILL');
      second?.kill('SIGTERM');
      await p.close();
      await erp.sandbox.close();
    }
  }, 180_000);
});
