// Fixed-window hit counters for the rate limits, shared by every ponte process of an
// installation: in Redis when REDIS_URL is set, else in the database, so several
// `ponte serve` behind a load balancer enforce one limit. Embedded mode runs one process by
// design and keeps them in memory (PGlite runs on the main thread: a write per request would
// cost every request). A counter store that fails lets the request through: an outage of
// Redis or the database must not turn into refusing every caller.

import type { Config } from '../config.js';
import type { Queryable } from '../store/db.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { RedisCounters } from './redis-counters.js';
import { DatabaseCounters } from './database-counters.js';

export interface Window { count: number; resetMs: number }

export interface CounterStore {
  /** Adds one to the bucket's count in the window that holds `now`; the new count. */
  hit(bucket: string, windowStart: number, windowMs: number): Promise<number>;
  /** The bucket's count in that window, unchanged. */
  peek(bucket: string, windowStart: number): Promise<number>;
  close(): Promise<void>;
}

export class MemoryCounters implements CounterStore {
  readonly #counts = new Map<string, number>();
  #window = 0;

  async hit(bucket: string, windowStart: number): Promise<number> {
    this.#roll(windowStart);
    const count = (this.#counts.get(bucket) ?? 0) + 1;
    this.#counts.set(bucket, count);
    return count;
  }

  async peek(bucket: string, windowStart: number): Promise<number> {
    this.#roll(windowStart);
    return this.#counts.get(bucket) ?? 0;
  }

  async close(): Promise<void> {
    this.#counts.clear();
  }

  #roll(windowStart: number): void {
    if (windowStart === this.#window) return;
    this.#window = windowStart;
    this.#counts.clear();
  }
}

/** Counts per window of `windowMs`, in the store the mode calls for, with the fail-open rule. */
export class Counters {
  readonly #fallback = new MemoryCounters();
  #warnedAt = 0;

  constructor(
    private readonly store: CounterStore,
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly prefix: string,
  ) {}

  async hit(bucket: string): Promise<Window> {
    return this.#run(bucket, (store, key, start) => store.hit(key, start, this.windowMs));
  }

  async peek(bucket: string): Promise<Window> {
    return this.#run(bucket, (store, key, start) => store.peek(key, start));
  }

  close(): Promise<void> {
    return this.store.close();
  }

  async #run(bucket: string, op: (store: CounterStore, key: string, start: number) => Promise<number>): Promise<Window> {
    const now = this.clock.now().getTime();
    const start = now - (now % this.windowMs);
    const resetMs = start + this.windowMs - now;
    const key = `${this.prefix}${bucket}`;
    try {
      return { count: await op(this.store, key, start), resetMs };
    } catch (err) {
      if (now - this.#warnedAt > 60_000) {
        this.#warnedAt = now;
        this.log.warn({ err }, 'rate-limit counters unreachable: counting in this process only until they are back');
      }
      return { count: await op(this.#fallback, key, start), resetMs };
    }
  }
}

export function counterStoreFor(config: Pick<Config, 'redisUrl' | 'databaseUrl'>, db: Queryable): CounterStore {
  if (config.redisUrl) return new RedisCounters(config.redisUrl);
  if (config.databaseUrl) return new DatabaseCounters(db);
  return new MemoryCounters();
}
