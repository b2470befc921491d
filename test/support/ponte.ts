// Starts ponte in-process for a test, in one of the three runtime modes, on a database
// and queue namespace of its own so test files never share state.

import { inject } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';
import { createDeps, type Deps, type DepsOptions } from '../../src/deps.js';
import { buildApp } from '../../src/app.js';
import { startWorkers, type Workers } from '../../src/jobs/workers.js';
import { installContractCheck } from './contract.js';
import { copyEmbeddedTemplate } from './embedded-template.js';

export type Mode = 'embedded' | 'postgres' | 'redis';
export const MODES: Mode[] = ['embedded', 'postgres', 'redis'];

/** Seeded secrets must be at least 24 characters long. */
export const KEYS = {
  helpdesk: 'test-helpdesk-secret-abcdefgh',
  admin: 'test-admin-secret-abcdefghijk',
  erp: 'test-erp-secret-abcdefghijklm',
};
/** PONTE_SECRET_KEY of every test server that runs on PostgreSQL (embedded ones generate theirs). */
export const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
export const API_KEYS = `helpdesk:helpdesk:${KEYS.helpdesk},admin:admin+helpdesk:${KEYS.admin},erp:erp:${KEYS.erp}`;
export const auth = (role: keyof typeof KEYS) => ({ authorization: `Bearer ${KEYS[role]}` });

export function uniqueName(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A new, empty database on the shared test PostgreSQL server. */
export async function freshDatabase(): Promise<string> {
  const admin = inject('databaseUrl');
  const name = uniqueName('ponte');
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export function tempDir(prefix = 'ponte-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface StartOptions extends DepsOptions {
  env?: Record<string, string>;
  workers?: boolean;
  relay?: boolean;
  /** Reuse this data dir / database (restart tests). */
  dataDir?: string;
  databaseUrl?: string;
  namespace?: string;
  /** ponte's logger (default: silent). */
  log?: Logger;
}

export interface Ponte {
  mode: Mode;
  config: Config;
  deps: Deps;
  app: FastifyInstance;
  workers: Workers | undefined;
  dataDir: string;
  close(): Promise<void>;
}

export async function configFor(mode: Mode, options: StartOptions = {}): Promise<{ config: Config; cleanup: () => void; dataDir: string }> {
  const tmp = options.dataDir ? undefined : tempDir();
  const dataDir = options.dataDir ?? tmp!.dir;
  if (mode === 'embedded' && tmp) copyEmbeddedTemplate(inject('embeddedTemplate'), dataDir);
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    // One suggestion index for the whole run (built once per dictionary), not one per DATA_DIR.
    SPELLCHECK_INDEX_DIR: path.join(os.tmpdir(), 'ponte-spellcheck'),
    LOG_LEVEL: 'silent',
    PONTE_API_KEYS: API_KEYS,
    JOB_BACKOFF_MS: '50',
    OUTBOX_SWEEP_MS: '500',
    STALLED_INTERVAL_MS: '2000',
    ERP_PROBE_MS: '300',
    RATE_LIMIT_MAX: '0',
    ...options.env,
  };
  if (mode !== 'embedded') {
    env.DATABASE_URL = options.databaseUrl ?? (await freshDatabase());
    env.PONTE_SECRET_KEY ??= SECRET_KEY;
  }
  if (mode === 'redis') env.REDIS_URL = inject('redisUrl');
  return { config: loadConfig(env), cleanup: () => tmp?.remove(), dataDir };
}

export async function startPonte(mode: Mode, options: StartOptions = {}): Promise<Ponte> {
  const { config, cleanup, dataDir } = await configFor(mode, options);
  const deps = await createDeps(config, options.log ?? createLogger('silent'), {
    ...options,
    namespace: options.namespace ?? `${uniqueName('q')}-`,
    env: { ...process.env, ...options.env },
  });
  const workers = options.workers === false ? undefined : startWorkers(deps);
  if (options.relay !== false) deps.relay.start();
  const app = await buildApp(deps);
  installContractCheck(app);
  return {
    mode,
    config,
    deps,
    app,
    workers,
    dataDir,
    async close() {
      await app.close();
      await workers?.close(2000);
      await deps.close();
      if (!options.dataDir) cleanup();
    },
  };
}

/** Polls until `check` returns a truthy value (behaviour waits, not timing assertions). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what = 'condition', timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
