// A BullMQ worker whose fetch of the next job fails retries at once unless the error is a refused
// or closed connection: when the database refuses new clients (PostgreSQL's "too many clients",
// a server starting up or shutting down, a failover) or Redis is still loading, every worker
// would spin at full CPU and say nothing. After each worker error, the worker's next fetch waits
// instead — through BullMQ's own rate-limit wait, which its close() cuts short — doubling while
// the errors continue, and the error is reported once per wait. Jobs already running go on.

/** What the back-off needs of a BullMQ worker. */
export interface ErrorEmitter {
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface BackoffSettings {
  /** The first wait after an error. */
  firstMs: number;
  /** The longest wait, however long the errors go on. */
  maxMs: number;
  /** After this long without an error, the next wait is the first again. */
  quietMs: number;
}

export const WORKER_BACKOFF: BackoffSettings = { firstMs: 250, maxMs: 5_000, quietMs: 30_000 };

/**
 * BullMQ's Worker keeps the instant until which it must not fetch in `limitUntil` (set by its
 * rate limiter, waited for by its main loop); it is not part of the typed API, so it is checked.
 */
type FetchGate = { limitUntil?: unknown };

export function backOffOnErrors(worker: ErrorEmitter, report: (err: Error, waitMs: number) => void, settings: BackoffSettings = WORKER_BACKOFF): void {
  let waitMs = 0;
  let lastErrorAt = -Infinity;
  let waitingUntil = 0;
  const gate = worker as FetchGate;
  worker.on('error', (err) => {
    const now = Date.now();
    // An error of work already under way when the wait began belongs to that wait.
    if (now < waitingUntil) return;
    waitMs = now - lastErrorAt > settings.quietMs ? settings.firstMs : Math.min(settings.maxMs, waitMs * 2);
    lastErrorAt = now;
    waitingUntil = now + waitMs;
    if (typeof gate.limitUntil === 'number') gate.limitUntil = Math.max(gate.limitUntil, waitingUntil);
    report(err, waitMs);
  });
}
