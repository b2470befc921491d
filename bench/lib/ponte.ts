// ponte in-process for a benchmark, in one of the three modes, with its own ERP sandbox.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { buildApp } from '../../src/app.js';
import { startWorkers, type Workers } from '../../src/jobs/workers.js';
import { startBimerSandbox, SANDBOX_CREDENTIALS } from '../../connectors/bimer/sandbox/server.js';
import type { Servers } from './servers.js';

export type Mode = 'embedded' | 'postgres' | 'redis';
export const BENCH_KEY = 'bench-secret-abcdefghijklmnop';
/** PONTE_SECRET_KEY of the benchmarks' servers on PostgreSQL. */
export const BENCH_SECRET_KEY = Buffer.alloc(32, 9).toString('base64');

export interface BenchPonte { deps: Deps; app: FastifyInstance; workers?: Workers; close(): Promise<void> }

export async function startBenchPonte(mode: Mode, servers: Servers, options: { workers: boolean; relay?: boolean; env?: Record<string, string> }): Promise<BenchPonte> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-'));
  const sandbox = await startBimerSandbox();
  const env: Record<string, string> = {
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    PONTE_API_KEYS: `bench:helpdesk+admin+erp:${BENCH_KEY}`,
    RATE_LIMIT_MAX: '0',
    BIMER_URL: sandbox.url,
    BIMER_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
    BIMER_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
    BIMER_USERNAME: SANDBOX_CREDENTIALS.username,
    BIMER_PASSWORD: SANDBOX_CREDENTIALS.password,
    ...options.env,
  };
  if (mode !== 'embedded') {
    env.DATABASE_URL = await servers.freshDatabase();
    env.PONTE_SECRET_KEY ??= BENCH_SECRET_KEY;
  }
  if (mode === 'redis') env.REDIS_URL = servers.redisUrl;
  const deps = await createDeps(loadConfig(env), createLogger('silent'), { env: { ...process.env, ...env }, namespace: `bench-${Date.now()}-` });
  const workers = options.workers ? startWorkers(deps) : undefined;
  if (options.relay !== false) deps.relay.start();
  const app = await buildApp(deps);
  return {
    deps,
    app,
    workers,
    async close() {
      await app.close();
      await workers?.close(5000);
      await deps.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
