// How a tools job reads a failure: its stable code and message, whether a retry can help, and
// whether this was the job's last attempt (BullMQ counts attempts; the queue's options set them).

import type { Job } from 'bullmq';
import { ConnectorError, PonteError } from '../errors.js';

export interface Failure { code: string; message: string; transient: boolean }

export function classifyFailure(err: unknown): Failure {
  if (err instanceof ConnectorError) return { code: err.code, message: err.message, transient: err.kind === 'transient' };
  if (err instanceof PonteError) return { code: err.code, message: err.message, transient: err.retryable };
  // Unknown failures (a bug, the database blinking) are retried; they end as a visible failure if they persist.
  return { code: 'INTERNAL', message: (err as Error)?.message ?? String(err), transient: true };
}

export function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** What the user reads once retries are exhausted: how many attempts, and the last reason. */
export function finalFailure(failure: Failure, attempts: number): { code: string; message: string } {
  if (!failure.transient) return { code: failure.code, message: failure.message };
  return { code: failure.code, message: `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${failure.message}` };
}
