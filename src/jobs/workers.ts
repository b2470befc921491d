// Starts the BullMQ workers of every queue this process serves, and stops them gracefully.

import type { Deps } from '../deps.js';
import { QUEUES } from './queues.js';
import { integrationProcessor } from '../integration/worker.js';
import { timersProcessor } from '../chats/timers.js';
import { adminProcessor } from '../admin/jobs.js';
import { startWebhooksWorker } from '../webhooks/jobs.js';
import { startToolsWorker } from '../tools/jobs.js';
import { startMailWorker } from '../mail/jobs.js';

export interface Workers {
  /** Stops taking jobs; running ones get `timeoutMs` to finish. */
  close(timeoutMs: number): Promise<void>;
}

export function startWorkers(deps: Deps): Workers {
  const log = deps.log.child({ component: 'worker' });
  const workers = [
    deps.jobs.worker(QUEUES.integrations, integrationProcessor(deps, log), {
      // Each integration job holds at most one ERP call at a time: this caps ERP calls per process.
      concurrency: deps.config.erpMaxConcurrent,
      limiter: deps.config.erpRatePerSecond > 0 ? { max: deps.config.erpRatePerSecond, duration: 1000 } : undefined,
    }),
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
  ];
  for (const w of workers) w.on('failed', () => undefined);
  return {
    async close(timeoutMs) {
      const graceful = Promise.all(workers.map((w) => w.close()));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const outcome = await Promise.race([graceful.then(() => 'done' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        log.warn({ timeoutMs }, 'jobs still running after the shutdown bound; they will be retried after stalled-job recovery');
        await Promise.all(workers.map((w) => w.close(true)));
      }
    },
  };
}
