// BullMQ 6 in every mode: Redis backend when REDIS_URL is set, otherwise its PostgreSQL
// backend on DATABASE_URL or on the embedded PGlite. The rest of ponte sees only this.

import {
  Queue,
  QueueEvents,
  QueueEventsProducer,
  Worker,
  createPostgresBackend,
  withBackend,
  type Processor,
  type WorkerOptions,
  type JobsOptions,
} from 'bullmq';
import { backoffDelay, integrationBackoff, webhookBackoff } from './backoff.js';
import { withJobCorrelation } from '../telemetry/correlation.js';
import { backOffOnErrors } from './worker-backoff.js';
import { GuardedClient } from '../store/guarded-client.js';

export type BackendKind = 'redis' | 'postgres';

export interface JobEngineOptions {
  redisUrl?: string;
  databaseUrl: string;
  /** Prefix of every queue name; tests use a random one so they never share state. */
  namespace?: string;
  /** Base delay of the exponential backoff with jitter. */
  backoffMs: number;
  /** Multiplies the integrations' retry schedule (JOB_RETRY_SCALE; below 1 only in tests). */
  retryScale?: number;
  /**
   * STALLED_INTERVAL_MS: a job's lock lasts this long (renewed every half while it runs) and
   * stalled checks run every half, so a dead worker's job is back in the queue after 1 to 1.5
   * times this. A shorter lock would let a busy event loop (a loaded machine) lose live jobs.
   */
  stalledIntervalMs?: number;
  /** Wraps every processor (tracing: a span per job attempt, the job's correlation). */
  instrument?: (queue: string, processor: Processor) => Processor;
  /** Told of each worker error, after which that worker waits `waitMs` before its next fetch. */
  onWorkerError?: (queue: string, err: Error, waitMs: number) => void;
}

export interface WorkerSettings {
  concurrency: number;
  /** At most `max` jobs per `duration` ms (BullMQ limiter): caps calls to a remote system. */
  limiter?: { max: number; duration: number };
  lockDuration?: number;
}

// Loosely typed on purpose: the two backends' class generics differ, the API does not.
type AnyQueue = Queue<any, any, string, any, any, any, any, any>;
type AnyWorker = Worker<any, any, string, any, any, any>;
type AnyQueueEvents = QueueEvents<any, any, any>;

interface Classes {
  Queue: new (name: string, opts: any) => AnyQueue;
  Worker: new (name: string, processor: Processor, opts: any) => AnyWorker;
  QueueEvents: new (name: string, opts: any) => AnyQueueEvents;
  QueueEventsProducer: new (name: string, opts: any) => QueueEventsProducer<any, any>;
}

export class JobEngine {
  readonly kind: BackendKind;
  private readonly classes: Classes;
  private readonly producerConnection: unknown;
  private readonly consumerConnection: unknown;
  private readonly queues = new Map<string, AnyQueue>();
  private readonly closers: Array<{ close(): Promise<void> }> = [];

  constructor(private readonly options: JobEngineOptions) {
    if (options.redisUrl) {
      this.kind = 'redis';
      this.classes = { Queue, Worker, QueueEvents, QueueEventsProducer } as unknown as Classes;
      const base = redisOptions(options.redisUrl);
      // Producers fail fast while Redis is down (the outbox keeps the job); consumers wait.
      this.producerConnection = { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
      this.consumerConnection = { ...base, maxRetriesPerRequest: null };
    } else {
      this.kind = 'postgres';
      this.classes = withBackend(createPostgresBackend) as unknown as Classes;
      this.producerConnection = { connectionString: options.databaseUrl, max: 4, Client: GuardedClient };
      this.consumerConnection = { connectionString: options.databaseUrl, max: 4, Client: GuardedClient };
    }
  }

  name(queue: string): string {
    return `${this.options.namespace ?? ''}${queue}`;
  }

  queue(queue: string): AnyQueue {
    let q = this.queues.get(queue);
    if (!q) {
      q = new this.classes.Queue(this.name(queue), { connection: this.producerConnection });
      q.on('error', () => undefined);
      this.queues.set(queue, q);
      this.closers.push(q);
      // BullMQ's PostgreSQL backend keeps the outcome of a queue's first connection: a queue made
      // while the database refused it (too many clients, starting up, a failover) would fail every
      // call until a restart. Such a queue is dropped, and the next call makes a new one.
      if (this.kind === 'postgres') {
        const made = q;
        made.waitUntilReady().catch(() => this.forget(queue, made));
      }
    }
    return q;
  }

  private forget(queue: string, q: AnyQueue): void {
    if (this.queues.get(queue) === q) this.queues.delete(queue);
    const at = this.closers.indexOf(q);
    if (at >= 0) this.closers.splice(at, 1);
    q.close().catch(() => undefined);
  }

  async add(queue: string, name: string, data: unknown, opts: JobsOptions = {}): Promise<void> {
    await this.queue(queue).add(name, withJobCorrelation(data), opts);
  }

  worker(queue: string, processor: Processor, settings: WorkerSettings): AnyWorker {
    const interval = this.options.stalledIntervalMs ?? 30_000;
    const half = Math.max(1, Math.floor(interval / 2));
    const opts: WorkerOptions = {
      connection: this.consumerConnection as WorkerOptions['connection'],
      concurrency: settings.concurrency,
      limiter: settings.limiter,
      // BullMQ reclaims a job whose lock expired at the first stalled check after that: a lock of
      // one interval and a check every half recover a dead worker's job within 1.5 intervals.
      lockDuration: settings.lockDuration ?? interval,
      stalledInterval: half,
      // The fourth stall of one job fails it (the integrations worker marks its row WORKER_LOST).
      maxStalledCount: 3,
      settings: { backoffStrategy: (attemptsMade, type, err) => this.backoff(attemptsMade, type, err) },
    };
    const worker = new this.classes.Worker(this.name(queue), this.options.instrument?.(queue, processor) ?? processor, opts);
    backOffOnErrors(worker, (err, waitMs) => this.options.onWorkerError?.(queue, err, waitMs));
    this.closers.push(worker);
    return worker;
  }

  private backoff(attemptsMade: number, type: string | undefined, err: Error | undefined): number {
    if (type === 'webhook') return webhookBackoff(attemptsMade, err);
    if (type === 'integration') return integrationBackoff(attemptsMade, this.options.backoffMs, this.options.retryScale ?? 1, err);
    return backoffDelay(attemptsMade, this.options.backoffMs, err);
  }

  queueEvents(queue: string): AnyQueueEvents {
    const events = new this.classes.QueueEvents(this.name(queue), { connection: this.consumerConnection });
    events.on('error', () => undefined);
    this.closers.push(events);
    return events;
  }

  producer(queue: string): QueueEventsProducer<any, any> {
    const producer = new this.classes.QueueEventsProducer(this.name(queue), { connection: this.producerConnection });
    this.closers.push(producer);
    return producer;
  }

  /** Ready check: the backend answers. */
  async ping(): Promise<void> {
    await this.queue('integrations').getJobCounts('waiting');
  }

  async close(): Promise<void> {
    const all = this.closers.splice(0).reverse();
    await Promise.allSettled(all.map((c) => c.close()));
    this.queues.clear();
  }
}

function redisOptions(url: string): Record<string, unknown> {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}
