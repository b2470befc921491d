// The BullMQ processor of the integrations queue: runs the pipeline, records every attempt,
// and decides the row's status: succeeded, retry (transient), failed (permanent) or dead.

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import { ConnectorError, PonteError } from '../errors.js';
import { attemptStatement, claimIntegration, getIntegration, updateIntegration, updateIntegrationStatement, type AttemptRecord, type IntegrationRow } from '../store/integrations.js';
import { runTogether } from '../store/statement.js';
import { runIntegration, type StepContext } from './pipeline.js';
import { eventStatement } from '../events/emit.js';
import type { Logger } from '../log.js';
import { metricsOf } from '../admin/metrics.js';
import { currentCorrelation, traceIdOf } from '../telemetry/correlation.js';
import { integrationEventData } from '../events/payloads.js';
import { ErpOutage } from './outage.js';
import { factsOf } from './accept.js';

export interface IntegrationJob { integrationId: string }

function classify(err: unknown): { code: string; message: string; transient: boolean } {
  if (err instanceof ConnectorError) return { code: err.code, message: err.message, transient: err.kind === 'transient' };
  if (err instanceof PonteError) return { code: err.code, message: err.message, transient: err.retryable };
  // Unknown failures (a bug, the database blinking) are retried: an admin sees them if they persist.
  return { code: 'INTERNAL', message: (err as Error)?.message ?? String(err), transient: true };
}

type Outcome = 'succeeded' | 'failed' | 'retrying' | 'dead' | 'held';
type RowFields = Partial<Record<keyof IntegrationRow, unknown>>;

/**
 * Ends the run: the row's new state, what the steps achieved, the attempt and, when someone
 * receives it, the outcome event, as one statement (one round trip, all or nothing). The event
 * is built from the row as the job holds it plus what changed, so nothing is read back.
 */
async function endRun(deps: Deps, row: IntegrationRow, fields: RowFields, attempt: AttemptRecord, ended?: 'succeeded' | 'failed' | 'dead'): Promise<void> {
  const parts = [updateIntegrationStatement(row.id, fields), attemptStatement(attempt)];
  if (ended) parts.push(eventStatement(`integration.${ended}`, { ...integrationEventData({ ...row, ...fields } as IntegrationRow) }));
  const written = await runTogether(deps.db, parts);
  if (!ended) return;
  // The last part is the event's fan-out job, written only when someone receives it.
  if (written > 0) deps.relay.kick();
  if (row.chat_id) await deps.live.publish(`chat:${row.chat_id}`, `integration.${ended}`, { integrationId: row.id }).catch(() => undefined);
}

/**
 * Runs of one integration in this process, one at a time: a job whose lock was lost while its
 * run is still in flight (an event loop or Redis stalled past STALLED_INTERVAL_MS) is given back
 * by BullMQ and may come to this process again; the second run waits for the first, then finds
 * what it did (a retry looks the case up), instead of racing it to the ERP.
 */
function oneRunAtATime<T>(processJob: (job: Job<IntegrationJob>) => Promise<T>): (job: Job<IntegrationJob>) => Promise<T> {
  const running = new Map<string, Promise<unknown>>();
  return async (job) => {
    const id = job.data.integrationId;
    while (running.has(id)) await running.get(id)!.catch(() => undefined);
    const run = processJob(job);
    running.set(id, run);
    try {
      return await run;
    } finally {
      running.delete(id);
    }
  };
}

export function integrationProcessor(deps: Deps, log: Logger, outage: ErpOutage) {
  return oneRunAtATime(async (job: Job<IntegrationJob>): Promise<string | null> => {
    // Only a pending row (or a running one whose worker died) is run, by its current job: a
    // cancel, a stale job of an earlier run, or of an integration that already ended, claims nothing.
    const claimed = await claimIntegration(deps.db, job.data.integrationId, job.id!);
    if (!claimed) return (await getIntegration(deps.db, job.data.integrationId))?.erp_process_number ?? null;
    const { row } = claimed;
    const chat = factsOf(claimed.chat);
    const attempt = row.attempts;
    const jobLog = log.child({ integrationId: row.id, attempt, jobId: job.id });
    const ctx: StepContext = { exchanges: [], achieved: {}, log: jobLog, trace: (x) => ctx.exchanges.push(x) };
    const startedAt = new Date();
    const attemptOf = (outcome: Outcome, error?: { code: string; message: string }): AttemptRecord => {
      const durationMs = Date.now() - startedAt.getTime();
      metricsOf(deps).observeAttempt(row.connector, outcome, durationMs, error?.code);
      const correlation = currentCorrelation();
      return {
        integrationId: row.id, attempt, replay: row.replays, startedAt, durationMs, outcome, errorCode: error?.code, errorMessage: error?.message, exchanges: ctx.exchanges,
        requestId: correlation?.requestId, traceId: traceIdOf(correlation?.carrier),
      };
    };
    /** The ERP is down: the row waits as accepted (its attempt given back) and the queue is held. */
    const hold = async (code: string, reachedErp: boolean): Promise<never> => {
      const message = outage.message(code);
      const fields = { ...ctx.achieved, status: 'pending', attempts: row.attempts - 1, error_code: code, error_message: message, error_retryable: true };
      // A run that called the ERP leaves a `held` attempt; one held before any call leaves none.
      if (reachedErp) await endRun(deps, row, fields, attemptOf('held', { code, message }));
      else await updateIntegration(deps.db, row.id, fields);
      await outage.hold(code);
      throw ErpOutage.held();
    };
    // Seen down lately: one shared probe read before this integration's calls.
    if (outage.held) {
      if (await outage.probe(ctx)) return hold(row.error_code ?? 'ERP_UNREACHABLE', false);
      await outage.resume();
    }
    try {
      const number = await deps.erpSlots.holding(() => runIntegration(deps, row, chat, ctx));
      await endRun(deps, row, { ...ctx.achieved, status: 'succeeded', finished_at: new Date(), erp_process_number: number, error_code: null, error_message: null, error_retryable: null }, attemptOf('succeeded'), 'succeeded');
      jobLog.info({ erpProcessNumber: number }, 'integration succeeded');
      return number;
    } catch (err) {
      const error = classify(err);
      if (await outage.confirms(err, ctx)) return hold(error.code, true);
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const errorFields = { ...ctx.achieved, error_code: error.code, error_message: error.message, error_retryable: error.transient };
      if (!error.transient || last) {
        const status = error.transient ? 'dead' : 'failed';
        await endRun(deps, row, { ...errorFields, status, finished_at: new Date() }, attemptOf(status, error), status);
        jobLog.warn({ code: error.code }, `integration ${status}`);
        throw new UnrecoverableError(`${error.code}: ${error.message}`);
      }
      await endRun(deps, row, { ...errorFields, status: 'pending' }, attemptOf('retrying', error));
      jobLog.info({ code: error.code }, 'integration will be retried');
      throw err;
    }
  });
}
