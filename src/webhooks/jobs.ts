// The webhooks queue's one worker, routed by job name: `fanout` (a domain event → deliveries),
// `deliver` (one POST), and the two repeating jobs of ERP pushes run by BullMQ job schedulers:
// `erp-pending` (kept events whose client appeared) and `marker-refresh` (pull, when configured).

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { QUEUES } from '../jobs/queues.js';
import { applyPendingEvents, PENDING_SWEEP_MS } from '../erp-events/pending.js';
import { refreshMarkers } from '../erp-events/marker-refresh.js';
import { fanoutProcessor } from './fanout.js';
import { deliverProcessor } from './deliver.js';
import { REPLAY_DELIVERIES_JOB, runDeliveryReplay, type ReplayDeliveriesJob } from './bulk-replay.js';

const SCHEDULED = { attempts: 1, removeOnComplete: true, removeOnFail: 100 };

export function webhooksProcessor(deps: Deps, log: Logger) {
  const handlers: Record<string, (job: Job) => Promise<unknown>> = {
    fanout: fanoutProcessor(deps, log),
    deliver: deliverProcessor(deps, log),
    [REPLAY_DELIVERIES_JOB]: async (job) => {
      const replayed = await runDeliveryReplay(deps, job.data as ReplayDeliveriesJob);
      log.info({ jobId: job.id, replayed }, 'webhook deliveries replayed');
      return { replayed };
    },
    'erp-pending': () => applyPendingEvents(deps, log),
    'marker-refresh': () => refreshMarkers(deps, log),
  };
  return async (job: Job): Promise<unknown> => {
    const handler = handlers[job.name];
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on the ${QUEUES.webhooks} queue`);
    return handler(job);
  };
}

/** Upserts the repeating jobs; every process may do it, the scheduler ids keep one of each. */
export async function scheduleRepeatingJobs(deps: Deps): Promise<void> {
  const queue = deps.jobs.queue(QUEUES.webhooks);
  await queue.upsertJobScheduler('erp-pending', { every: PENDING_SWEEP_MS }, { name: 'erp-pending', opts: SCHEDULED });
  if (deps.config.markerRefreshMs > 0) {
    await queue.upsertJobScheduler('marker-refresh', { every: deps.config.markerRefreshMs }, { name: 'marker-refresh', opts: SCHEDULED });
  } else {
    await queue.removeJobScheduler('marker-refresh');
  }
}

/** The worker of the webhooks queue, with its schedulers set up in the background. */
export function startWebhooksWorker(deps: Deps, log: Logger) {
  scheduleRepeatingJobs(deps).catch((err) => log.error({ err }, 'webhooks queue schedulers not set up; pending ERP events and marker pull will not run'));
  return deps.jobs.worker(QUEUES.webhooks, webhooksProcessor(deps, log), { concurrency: deps.config.workerConcurrency });
}
