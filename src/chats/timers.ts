// The processor of the `timers` queue: delayed jobs routed by job name, so other features add
// their timer kinds with one line in TIMER_KINDS.

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { CLOSE_INVITE_TIMEOUT_JOB, expireCloseInvite, type CloseInviteTimeout } from './closing.js';
import { TRANSFER_TIMEOUT_JOB, expireTransfer, type TransferTimeout } from './transfers.js';
import { NEXT_ACTION_JOB, nextActionCame, type NextActionDue } from '../returns/reminders.js';

type TimerHandler = (deps: Deps, payload: any, log: Logger) => Promise<unknown>;

export const TIMER_KINDS: Record<string, TimerHandler> = {
  [CLOSE_INVITE_TIMEOUT_JOB]: (deps, payload: CloseInviteTimeout) => expireCloseInvite(deps, payload),
  [TRANSFER_TIMEOUT_JOB]: (deps, payload: TransferTimeout) => expireTransfer(deps, payload),
  [NEXT_ACTION_JOB]: (deps, payload: NextActionDue) => nextActionCame(deps, payload),
};

export function timersProcessor(deps: Deps, log: Logger) {
  return async (job: Job): Promise<unknown> => {
    const handler = TIMER_KINDS[job.name];
    const jobLog = log.child({ queue: 'timers', job: job.name, jobId: job.id });
    // An unknown kind is a deployment mismatch: retrying cannot help.
    if (!handler) throw new UnrecoverableError(`no timer handler for job "${job.name}"`);
    const outcome = await handler(deps, job.data, jobLog);
    jobLog.debug({ outcome }, 'timer done');
    return outcome;
  };
}
