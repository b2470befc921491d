// Retry delays: exponential with jitter, and never sooner than a remote's Retry-After. The
// integrations' schedule is capped exponential (Sidekiq-like): it keeps an integration alive
// through more than a day of failing ERP calls with the default settings.

import { WEBHOOK_SCHEDULE_MS } from './queues.js';

export const MAX_BACKOFF_MS = 10 * 60_000;

export function backoffDelay(attemptsMade: number, baseMs: number, err?: Error, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  // Half fixed, half random: spreads a burst of retries without ever retrying at once.
  const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
  const retryAfter = (err as { retryAfterMs?: number } | undefined)?.retryAfterMs;
  return retryAfter && retryAfter > delay ? Math.min(retryAfter, MAX_BACKOFF_MS) : delay;
}

/** The integrations' backoff doubles from JOB_BACKOFF_MS up to this step. */
export const INTEGRATION_BACKOFF_CAP_MS = 3 * 3600_000;
/** Up to this share is added at random, so a burst of retries spreads out (never sooner than the schedule). */
const INTEGRATION_JITTER = 0.2;

/** The schedule's step after `attemptsMade` failures, scaled by JOB_RETRY_SCALE (tests shorten it). */
export function integrationScheduleStep(attemptsMade: number, baseMs: number, scale = 1): number {
  return Math.min(INTEGRATION_BACKOFF_CAP_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1)) * scale;
}

export function integrationBackoff(attemptsMade: number, baseMs: number, scale: number, err?: Error, random: () => number = Math.random): number {
  const delay = Math.round(integrationScheduleStep(attemptsMade, baseMs, scale) * (1 + random() * INTEGRATION_JITTER));
  const retryAfter = (err as { retryAfterMs?: number } | undefined)?.retryAfterMs;
  return retryAfter && retryAfter > delay ? Math.min(retryAfter, INTEGRATION_BACKOFF_CAP_MS) : delay;
}

/** How long an integration lives through failing calls before it is dead: the sum of its retry waits (jitter left out). */
export function integrationRetryHorizonMs(attempts: number, baseMs: number, scale = 1): number {
  let total = 0;
  for (let n = 1; n < attempts; n++) total += integrationScheduleStep(n, baseMs, scale);
  return total;
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
