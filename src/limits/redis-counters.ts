// Rate-limit counters in Redis: one INCR per hit on a key that expires after its window.

import { Redis } from 'ioredis';
import type { CounterStore } from './counters.js';

export class RedisCounters implements CounterStore {
  readonly #redis: Redis;

  constructor(url: string) {
    // Fail fast while Redis is down: the limiter then counts in memory instead of waiting.
    this.#redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.#redis.on('error', () => undefined);
  }

  async hit(bucket: string, windowStart: number, windowMs: number): Promise<number> {
    const key = `${bucket}:${windowStart}`;
    const [[incrError, count] = [], [expireError] = []] = (await this.#redis.multi().incr(key).pexpire(key, windowMs * 2).exec()) ?? [];
    if (incrError || expireError) throw incrError ?? expireError;
    return Number(count);
  }

  async peek(bucket: string, windowStart: number): Promise<number> {
    return Number((await this.#redis.get(`${bucket}:${windowStart}`)) ?? 0);
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }
}
