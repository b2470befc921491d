// A worker process for the SIGKILL test: records that it started the job, then hangs until killed.

import { JobEngine } from '../../src/jobs/engine.js';
import { createDb } from '../../src/store/db.js';

const env = process.env;
const db = createDb(env.STALL_DB_URL!, { max: 2 });
const engine = new JobEngine({
  redisUrl: env.STALL_REDIS_URL || undefined,
  databaseUrl: env.STALL_DB_URL!,
  namespace: env.STALL_NAMESPACE,
  backoffMs: 20,
  stalledIntervalMs: 1000,
});
engine.worker('stall', async (job) => {
  await db.query("INSERT INTO audit_events (actor, action, target_type, target_id) VALUES ('worker', 'started', 'job', $1)", [job.id]);
  await new Promise(() => undefined);
}, { concurrency: 1, lockDuration: 2000 });
process.send?.('ready');
