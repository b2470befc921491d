// Retry delays: exponential with full jitter, and never sooner than a remote's Retry-After.

export const MAX_BACKOFF_MS = 10 * 60_000;

export function backoffDelay(attemptsMade: number, baseMs: number, err?: Error, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  // Half fixed, half random: spreads a burst of retries without ever retrying at once.
  const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
  const retryAfter = (err as { retryAfterMs?: number } | undefined)?.retryAfterMs;
  return retryAfter && retryAfter > delay ? Math.min(retryAfter, MAX_BACKOFF_MS) : delay;
}
