// No row left behind. A row that is pending or running must have a live job in the backend:
// the sweep (every OUTBOX_SWEEP_MS, beside the outbox relay's) checks dispatched, unfinished
// rows a batch at a time and re-dispatches those whose job vanished (Redis lost its memory,
// someone deleted it); a job the engine failed itself (it stalled a fourth time, or its
// processor could not record its end) ends its row `dead` with WORKER_LOST, replayable.

import type { Job } from 'bullmq';
import type { Deps } from '../deps.js';
import { getIntegration, insertAttempt, type IntegrationRow } from '../store/integrations.js';
import { emitEvent } from '../events/emit.js';
import { integrationEventData } from '../events/payloads.js';
import { QUEUES } from '../jobs/queues.js';
import { INTEGRATION_JOB_ID_SQL, integrationJobId } from './job-id.js';

/** Rows checked per sweep: the whole set is covered over successive sweeps. */
const BATCH = 200;

/** Job states that mean nothing will run the row any more. */
export const GONE_STATES = ['unknown', 'failed', 'completed'];

/** Ends a still unfinished row `dead` / WORKER_LOST, if `jobId` is still its current job. */
export async function markWorkerLost(deps: Deps, integrationId: string, jobId: string, reason: string): Promise<boolean> {
  const message = `its job ${jobId} was failed by the job engine, not by ponte (${reason}): replay it`;
  const ended = await deps.db.tx(async (q) => {
    const { rows } = await q.query<IntegrationRow>(
      `UPDATE integrations i SET status = 'dead', error_code = 'WORKER_LOST', error_message = $3, error_retryable = true, finished_at = now(), updated_at = now()
       WHERE i.id = $1 AND i.status IN ('pending', 'running') AND ${INTEGRATION_JOB_ID_SQL} = $2 RETURNING *`,
      [integrationId, jobId, message],
    );
    const row = rows[0];
    if (!row) return undefined;
    await insertAttempt(q, { integrationId, attempt: row.attempts, replay: row.replays, startedAt: new Date(), durationMs: 0, outcome: 'dead', errorCode: 'WORKER_LOST', errorMessage: message, exchanges: [] });
    await emitEvent(q, 'integration.dead', { ...integrationEventData(row) });
    return row;
  });
  if (!ended) return false;
  deps.log.warn({ integrationId, jobId, reason }, 'integration dead: its job was lost (WORKER_LOST)');
  deps.relay.kick();
  if (ended.chat_id) await deps.live.publish(`chat:${ended.chat_id}`, 'integration.dead', { integrationId }).catch(() => undefined);
  return true;
}

/** The worker's `failed` event: only a final failure of the row's current job counts. */
export async function onIntegrationJobFailed(deps: Deps, job: Job | undefined, err: Error): Promise<void> {
  const integrationId = (job?.data as { integrationId?: string } | undefined)?.integrationId;
  if (!job?.id || !integrationId) return;
  if ((await job.getState()) !== 'failed') return; // it will be retried
  await markWorkerLost(deps, integrationId, job.id, err.message);
}

interface Candidate { id: string; replays: number; outbox_id: string }

export class StrandedSweep {
  private cursor = '00000000-0000-0000-0000-000000000000';

  constructor(private readonly deps: Deps, private readonly graceMs: number) {}

  /** Checks the next batch; returns what it did. */
  async run(): Promise<{ checked: number; redispatched: number; lost: number }> {
    const { rows } = await this.deps.db.query<Candidate>(
      `SELECT i.id, i.replays, o.id AS outbox_id FROM integrations i
       JOIN outbox o ON o.job_id = ${INTEGRATION_JOB_ID_SQL}
       WHERE i.status IN ('pending', 'running') AND o.dispatched_at < now() - ($1::integer * interval '1 millisecond') AND i.id > $2
       ORDER BY i.id LIMIT ${BATCH}`,
      [this.graceMs, this.cursor],
    );
    // Round and round: the next sweep starts after the last row seen, then from the start.
    this.cursor = rows.length < BATCH ? '00000000-0000-0000-0000-000000000000' : rows[rows.length - 1]!.id;
    const queue = this.deps.jobs.queue(QUEUES.integrations);
    let redispatched = 0;
    let lost = 0;
    for (const row of rows) {
      const jobId = integrationJobId(row);
      const state = await queue.getJobState(jobId);
      if (state === 'unknown') {
        const { rowCount } = await this.deps.db.query(
          `UPDATE outbox SET dispatched_at = NULL WHERE id = $1 AND EXISTS (SELECT 1 FROM integrations WHERE id = $2 AND status IN ('pending', 'running'))`,
          [row.outbox_id, row.id],
        );
        if (rowCount) {
          redispatched += 1;
          this.deps.log.warn({ integrationId: row.id, jobId }, 'integration job missing from the job backend: dispatched again');
        }
      } else if (state === 'failed' || state === 'completed') {
        const job = await queue.getJob(jobId);
        if (await markWorkerLost(this.deps, row.id, jobId, job?.failedReason || `job ${state}`)) lost += 1;
      }
    }
    if (redispatched) this.deps.relay.kick();
    return { checked: rows.length, redispatched, lost };
  }
}

/**
 * Whether nothing will run the row any more (for admins): its current job is not waiting in the
 * outbox for the relay, and the backend has it no more, or failed or finished it.
 */
export async function jobGone(deps: Deps, row: IntegrationRow): Promise<boolean> {
  const jobId = integrationJobId((await getIntegration(deps.db, row.id)) ?? row);
  const { rows } = await deps.db.query<{ dispatched_at: Date | null }>('SELECT dispatched_at FROM outbox WHERE job_id = $1', [jobId]);
  if (rows[0] && rows[0].dispatched_at === null) return false;
  return GONE_STATES.includes(await deps.jobs.queue(QUEUES.integrations).getJobState(jobId));
}
