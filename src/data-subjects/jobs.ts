// The `privacy` queue's worker: erasure/anonymization requests (one at a time, each resumable)
// and the retention job scheduler (every RETENTION_INTERVAL_MS; removed when set to 0).

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { QUEUES } from '../jobs/queues.js';
import { ERASURE_JOB, failErasure, runErasure } from './erasures.js';
import { runRetention } from './retention.js';

export const RETENTION_JOB = 'retention';
const SCHEDULED = { attempts: 1, removeOnComplete: true, removeOnFail: 100 };

export function privacyProcessor(deps: Deps, log: Logger) {
  return async (job: Job): Promise<unknown> => {
    switch (job.name) {
      case ERASURE_JOB: {
        const { erasureId } = job.data as { erasureId: string };
        try {
          const done = await runErasure(deps, erasureId);
          return { status: done.status };
        } catch (err) {
          if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await failErasure(deps, erasureId, err);
          log.warn({ err, erasureId, attempt: job.attemptsMade + 1 }, 'erasure interrupted; it resumes where it stopped');
          throw err;
        }
      }
      case RETENTION_JOB:
        return runRetention(deps);
      default:
        throw new UnrecoverableError(`no handler for job "${job.name}" on the ${QUEUES.privacy} queue`);
    }
  };
}

export async function scheduleRetention(deps: Deps): Promise<void> {
  const queue = deps.jobs.queue(QUEUES.privacy);
  if (deps.config.retentionIntervalMs > 0) {
    await queue.upsertJobScheduler(RETENTION_JOB, { every: deps.config.retentionIntervalMs }, { name: RETENTION_JOB, opts: SCHEDULED });
  } else {
    await queue.removeJobScheduler(RETENTION_JOB);
  }
}

export function startPrivacyWorker(deps: Deps, log: Logger) {
  scheduleRetention(deps).catch((err) => log.error({ err }, 'retention scheduler not set up; retention will not run'));
  // One job at a time: erasures and retention sweep whole tables in batches.
  return deps.jobs.worker(QUEUES.privacy, privacyProcessor(deps, log), { concurrency: 1, lockDuration: 120_000 });
}
