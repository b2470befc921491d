// The helpdesks queue's worker, routed by job name: `complete` (read a conversation's full
// message list, then write it) and `note` (an internal note back to the conversation).

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { QUEUES } from '../jobs/queues.js';
import { completionProcessor } from './completion.js';
import { noteProcessor } from './notes.js';

export function startHelpdesksWorker(deps: Deps, log: Logger) {
  const handlers: Record<string, (job: Job) => Promise<unknown>> = {
    complete: completionProcessor(deps, log),
    note: noteProcessor(deps, log),
  };
  return deps.jobs.worker(QUEUES.helpdesks, async (job: Job) => {
    const handler = handlers[job.name];
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on the ${QUEUES.helpdesks} queue`);
    return handler(job);
  }, { concurrency: 5 });
}
