// Transactional outbox: jobs are written as rows in the same transaction as the change
// that causes them, then added to BullMQ after commit (jobId = the row's job_id, so a
// second add is a no-op). A periodic sweep re-adds rows the backend refused (e.g. Redis down),
// and runs the checks registered with alsoSweep (integrations whose job vanished).

import type { JobsOptions } from 'bullmq';
import type { Db, Queryable } from '../store/db.js';
import type { JobEngine } from './engine.js';
import type { Logger } from '../log.js';
import { withJobCorrelation } from '../telemetry/correlation.js';
import type { Statement } from '../store/statement.js';

export interface OutboxJob {
  queue: string;
  name: string;
  jobId: string;
  payload: Record<string, unknown>;
  delayMs?: number;
}

/**
 * Writes the job inside the caller's transaction; nothing reaches BullMQ before commit. The
 * request (or job) enqueuing it is named in the data (`correlation`: request id, traceparent).
 */
export async function enqueue(q: Queryable, job: OutboxJob): Promise<void> {
  await q.query(
    `INSERT INTO outbox (queue, name, job_id, payload, delay_ms) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (job_id) DO NOTHING`,
    [job.queue, job.name, job.jobId, JSON.stringify(withJobCorrelation(job.payload)), job.delayMs ?? 0],
  );
}

/** Several jobs as one statement (rows in order), to be sent with the change that causes them. */
export function enqueueAllStatement(jobs: OutboxJob[]): Statement {
  const rows = jobs.map((j) => ({ queue: j.queue, name: j.name, job_id: j.jobId, payload: withJobCorrelation(j.payload), delay_ms: j.delayMs ?? 0 }));
  return {
    text: `INSERT INTO outbox (queue, name, job_id, payload, delay_ms)
     SELECT x.queue, x.name, x.job_id, x.payload, x.delay_ms FROM json_to_recordset($1::json) AS x(queue text, name text, job_id text, payload jsonb, delay_ms integer)
     ON CONFLICT (job_id) DO NOTHING`,
    values: [JSON.stringify(rows)],
  };
}

/**
 * Like enqueue (the correlation named alike), but only when `condition` (SQL over parameters $6 on, given in `params`) holds
 * when the row would be written: one statement, so a job nobody needs costs no extra round trip.
 */
export async function enqueueIf(q: Queryable, job: OutboxJob, condition: string, params: unknown[]): Promise<void> {
  const { text, values } = enqueueIfStatement(job, condition, params);
  await q.query(text, values);
}

/** enqueueIf as a statement, to be sent together with others (src/store/statement.ts). */
export function enqueueIfStatement(job: OutboxJob, condition: string, params: unknown[]): Statement {
  return {
    text: `INSERT INTO outbox (queue, name, job_id, payload, delay_ms) SELECT $1, $2, $3, $4, $5 WHERE ${condition}
     ON CONFLICT (job_id) DO NOTHING`,
    values: [job.queue, job.name, job.jobId, JSON.stringify(withJobCorrelation(job.payload)), job.delayMs ?? 0, ...params],
  };
}

interface OutboxRow {
  id: string;
  queue: string;
  name: string;
  job_id: string;
  payload: Record<string, unknown>;
  delay_ms: number;
  created_at: Date;
}

export type QueueJobOptions = (queue: string) => JobsOptions;

const BATCH = 2000;
/** A backend that does not answer in this time is treated as down; the sweep retries. */
const ADD_TIMEOUT_MS = 5000;

function bounded<T>(p: Promise<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: no answer from the job backend within ${ADD_TIMEOUT_MS} ms`)), ADD_TIMEOUT_MS);
    p.then(resolve, reject).finally(() => clearTimeout(t));
  });
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly sweeps: Array<() => Promise<unknown>> = [];
  private sweeping = false;

  constructor(
    private readonly db: Db,
    private readonly engine: JobEngine,
    private readonly jobOptions: QueueJobOptions,
    private readonly log: Logger,
    private readonly sweepMs: number,
  ) {}

  /** Also runs `check` at every sweep (one at a time; a failure is logged and retried next sweep). */
  alsoSweep(check: () => Promise<unknown>): void {
    this.sweeps.push(check);
  }

  start(): void {
    this.stopped = false;
    this.schedule();
    this.kick();
  }

  /** Dispatch now (after a commit). Coalesces concurrent calls into one pass. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.log.warn({ err }, 'outbox dispatch failed; the sweep will retry'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves once everything committed so far has been offered to BullMQ. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    await this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.kick();
      this.runSweeps();
      if (!this.stopped) this.schedule();
    }, this.sweepMs);
    this.timer.unref();
  }

  private runSweeps(): void {
    if (this.sweeping || this.sweeps.length === 0) return;
    this.sweeping = true;
    (async () => {
      for (const check of this.sweeps) await check().catch((err) => this.log.warn({ err }, 'outbox sweep check failed; retried next sweep'));
    })().finally(() => (this.sweeping = false));
  }

  private async drain(): Promise<void> {
    for (;;) {
      const { rows } = await this.db.query<OutboxRow>(
        `SELECT id, queue, name, job_id, payload, delay_ms, created_at FROM outbox
         WHERE dispatched_at IS NULL ORDER BY id LIMIT ${BATCH}`,
      );
      if (rows.length === 0) return;
      const byQueue = new Map<string, OutboxRow[]>();
      for (const row of rows) {
        const list = byQueue.get(row.queue);
        if (list) list.push(row);
        else byQueue.set(row.queue, [row]);
      }
      const now = Date.now();
      for (const [queue, list] of byQueue) {
        const base = this.jobOptions(queue);
        await bounded(this.engine.queue(queue).addBulk(
          list.map((row) => ({
            name: row.name,
            data: row.payload,
            opts: { ...base, jobId: row.job_id, delay: Math.max(0, row.created_at.getTime() + row.delay_ms - now) },
          })),
        ), `adding ${list.length} job(s) to ${queue}`);
      }
      await this.db.query('UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      if (rows.length < BATCH) return;
    }
  }
}
