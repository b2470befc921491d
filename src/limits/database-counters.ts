// Rate-limit counters in PostgreSQL: one upsert per hit; windows older than the previous one
// are deleted now and then by whichever process notices first.

import type { Queryable } from '../store/db.js';
import type { CounterStore } from './counters.js';

const PRUNE_EVERY_MS = 60_000;

export class DatabaseCounters implements CounterStore {
  #prunedAt = 0;

  constructor(private readonly q: Queryable) {}

  async hit(bucket: string, windowStart: number, windowMs: number): Promise<number> {
    if (windowStart - this.#prunedAt > PRUNE_EVERY_MS) {
      this.#prunedAt = windowStart;
      await this.q.query('DELETE FROM rate_limit_hits WHERE window_start < $1', [new Date(windowStart - windowMs)]);
    }
    const { rows } = await this.q.query<{ hits: number }>(
      `INSERT INTO rate_limit_hits (bucket, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1 RETURNING hits`,
      [bucket, new Date(windowStart)],
    );
    return rows[0]!.hits;
  }

  async peek(bucket: string, windowStart: number): Promise<number> {
    const { rows } = await this.q.query<{ hits: number }>('SELECT hits FROM rate_limit_hits WHERE bucket = $1 AND window_start = $2', [bucket, new Date(windowStart)]);
    return rows[0]?.hits ?? 0;
  }

  async close(): Promise<void> {}
}
