// The processor of the `admin` queue: one worker, dispatching on the job's name.

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { adminContext } from './context.js';
import { BULK_REPLAY_JOB, runBulkReplay, type BulkReplayJob } from './bulk-replay.js';

export function adminProcessor(deps: Deps, log: Logger) {
  const ctx = adminContext(deps);
  return async (job: Job): Promise<unknown> => {
    switch (job.name) {
      case BULK_REPLAY_JOB: {
        const data = job.data as BulkReplayJob;
        const { replayed, refused } = await runBulkReplay(ctx, data);
        log.info({ jobId: job.id, actor: data.actor, replayed, refused }, 'bulk replay done');
        return { replayed, refused };
      }
      default:
        throw new UnrecoverableError(`the admin queue has no job named "${job.name}"`);
    }
  };
}
