// The queues ponte runs and their job options (attempts, backoff, retention).

import type { JobsOptions } from 'bullmq';
import type { Config } from '../config.js';

export const QUEUES = {
  integrations: 'integrations',
  timers: 'timers',
  webhooks: 'webhooks',
  mail: 'mail',
  tools: 'tools',
  admin: 'admin',
  privacy: 'privacy',
  helpdesks: 'helpdesks',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Svix-like delivery schedule for outbound webhooks: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const WEBHOOK_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

const KEEP = { removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600, count: 50_000 } };

export function jobOptionsFor(config: Config): (queue: string) => JobsOptions {
  return (queue) => {
    switch (queue) {
      case QUEUES.integrations:
        return { ...KEEP, attempts: config.jobAttempts, backoff: { type: 'integration' } };
      case QUEUES.webhooks:
      // Helpdesk notes are deliveries too (and the message-list reads use their first steps).
      case QUEUES.helpdesks:
        return { ...KEEP, attempts: WEBHOOK_SCHEDULE_MS.length + 1, backoff: { type: 'webhook' } };
      default:
        return { ...KEEP, attempts: 5, backoff: { type: 'jittered' } };
    }
  };
}
