// Starts the BullMQ workers of every queue this process serves, and stops them gracefully.

import type { Deps } from '../deps.js';
import { QUEUES } from './queues.js';
import { integrationProcessor } from '../integration/worker.js';
import { ErpOutage } from '../integration/outage.js';
import { onIntegrationJobFailed } from '../integration/stranded.js';
import { timersProcessor } from '../chats/timers.js';
import { adminProcessor } from '../admin/jobs.js';
import { startWebhooksWorker } from '../webhooks/jobs.js';
import { startToolsWorker } from '../tools/jobs.js';
import { startMailWorker } from '../mail/jobs.js';
import { startPrivacyWorker } from '../data-subjects/jobs.js';
import { startHelpdesksWorker } from '../helpdesks/jobs.js';

export interface Workers {
  /** Stops taking jobs; running ones get `timeoutMs` to finish. */
  close(timeoutMs: number): Promise<void>;
}

export function startWorkers(deps: Deps): Workers {
  const log = deps.log.child({ component: 'worker' });
  // ERP_MAX_CONCURRENT across every process: BullMQ's global concurrency caps the running
  // integration jobs, and each ERP call (of a job or of a lookup) holds a slot of deps.connector.
  deps.jobs
    .queue(QUEUES.integrations)
    .setGlobalConcurrency(deps.config.erpMaxConcurrent)
    .catch((err: unknown) => log.warn({ err }, 'could not set the integrations queue global concurrency; ERP calls stay bounded by their slots'));
  const outage = new ErpOutage(
    (ctx) => deps.connector.listResponsibilityCenters(ctx),
    () => deps.jobs.queue(QUEUES.integrations),
    { probeMs: deps.config.erpProbeMs, failuresBeforeProbe: deps.config.erpOutageFailures },
    log.child({ component: 'erp-outage' }),
  );
  deps.erpCallListeners.push((call) => outage.observe(call));
  const integrations = deps.jobs.worker(QUEUES.integrations, integrationProcessor(deps, log, outage), {
    // Each integration job holds at most one ERP call at a time.
    concurrency: deps.config.erpMaxConcurrent,
    limiter: deps.config.erpRatePerSecond > 0 ? { max: deps.config.erpRatePerSecond, duration: 1000 } : undefined,
  });
  // A job the engine failed itself (a fourth stall) would leave its row running: it ends dead, WORKER_LOST.
  integrations.on('failed', (job, err) => {
    onIntegrationJobFailed(deps, job, err).catch((e) => log.warn({ err: e, jobId: job?.id }, 'could not check a failed integration job; the sweep will'));
  });
  const workers = [
    integrations,
    // Delayed timers (close-invite timeout, ...), routed by job name in src/chats/timers.ts.
    deps.jobs.worker(QUEUES.timers, timersProcessor(deps, log), { concurrency: 5 }),
    // Bulk replays: one at a time, each works through its rows in batches.
    deps.jobs.worker(QUEUES.admin, adminProcessor(deps, log), { concurrency: 1 }),
    // Webhook fan-out and deliveries, plus ERP pushes' repeating jobs, routed in src/webhooks/jobs.ts.
    startWebhooksWorker(deps, log),
    // Chat tools (remote access, version releases) and the remote-state pull, routed in src/tools/jobs.ts.
    startToolsWorker(deps, log),
    // E-mail out (return notices, replies, third-party copies): SMTP or the local outbox, src/mail/jobs.ts.
    startMailWorker(deps, log),
    // Data-subject erasures and the retention scheduler, src/data-subjects/jobs.ts.
    startPrivacyWorker(deps, log),
    // Helpdesk adapters: full message lists read before a session is written, notes back, src/helpdesks/jobs.ts.
    startHelpdesksWorker(deps, log),
  ];
  for (const w of workers) w.on('failed', () => undefined);
  return {
    async close(timeoutMs) {
      // pause() stops taking jobs and waits for the running ones; a graceful close() would do the
      // same, but a later close(true) then waits on it instead of forcing (BullMQ keeps one close).
      const graceful = Promise.all(workers.map((w) => w.pause()));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const outcome = await Promise.race([graceful.then(() => 'done' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') log.warn({ timeoutMs: Math.round(timeoutMs) }, 'jobs still running after the shutdown bound; they will be retried after stalled-job recovery');
      await Promise.all(workers.map((w) => w.close(true)));
    },
  };
}
