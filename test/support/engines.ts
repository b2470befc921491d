// Job engines on the three backends, each on its own store and queue namespace.

import { inject } from 'vitest';
import { JobEngine } from '../../src/jobs/engine.js';
import { openStore } from './stores.js';
import { uniqueName } from './ponte.js';
import type { Db } from '../../src/store/db.js';

export type Backend = 'redis' | 'postgres' | 'pglite';
export const BACKENDS: Backend[] = ['redis', 'postgres', 'pglite'];

export interface EngineHarness {
  engine: JobEngine;
  db: Db;
  url: string;
  redisUrl?: string;
  namespace: string;
  close(): Promise<void>;
}

export async function openEngine(backend: Backend, options: { stalledIntervalMs?: number } = {}): Promise<EngineHarness> {
  const store = await openStore(backend === 'pglite' ? 'pglite' : 'postgres');
  const namespace = `${uniqueName('q')}-`;
  const redisUrl = backend === 'redis' ? inject('redisUrl') : undefined;
  const engine = new JobEngine({ redisUrl, databaseUrl: store.url, namespace, backoffMs: 20, stalledIntervalMs: options.stalledIntervalMs });
  return {
    engine,
    db: store.db,
    url: store.url,
    redisUrl,
    namespace,
    async close() {
      await engine.close();
      await store.close();
    },
  };
}
