// Retry delays: exponential with full jitter, and never sooner than a remote's Retry-After.

import { WEBHOOK_SCHEDULE_MS } from './queues.js';

export const MAX_BACKOFF_MS = 10 * 60_000;

export function backoffDelay(attemptsMade: number, baseMs: number, err?: Error, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  // Half fixed, half random: spreads a burst of retries without ever retrying at once.
  const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
  const retryAfter = (err as { retryAfterMs?: number } | undefined)?.retryAfterMs;
  return retryAfter && retryAfter > delay ? Math.min(retryAfter, MAX_BACKOFF_MS) : delay;
}

/** Outbound webhooks: the Svix-like schedule's step after `attemptsMade` failures, scaled (tests shorten it). */
export function webhookScheduleDelay(attemptsMade: number, scale = 1): number {
  const step = WEBHOOK_SCHEDULE_MS[Math.min(Math.max(attemptsMade, 1), WEBHOOK_SCHEDULE_MS.length) - 1]!;
  return Math.round(step * scale);
}

/** Backoff type 'webhook': the delay the failed delivery computed (it knows the scale), else the schedule. */
export function webhookBackoff(attemptsMade: number, err?: Error): number {
  return (err as { retryDelayMs?: number } | undefined)?.retryDelayMs ?? webhookScheduleDelay(attemptsMade);
}
