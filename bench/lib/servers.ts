// Real PostgreSQL and Redis for a benchmark run (the same throwaway servers the tests use),
// unless BENCH_DATABASE_URL / BENCH_REDIS_URL point at running ones.

import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { startPostgres, startRedis, type Service } from '../../test/support/services.js';
import { stopOnInterrupt } from './interrupt.js';

export interface Servers {
  databaseUrl: string;
  redisUrl: string;
  /** A new empty database on the server. */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  const started: Service[] = [];
  let databaseUrl = process.env.BENCH_DATABASE_URL;
  let redisUrl = process.env.BENCH_REDIS_URL;
  if (!databaseUrl) {
    const s = await startPostgres();
    started.push(s);
    databaseUrl = s.url;
  }
  if (!redisUrl) {
    const s = await startRedis();
    started.push(s);
    redisUrl = s.url;
  }
  const admin = databaseUrl;
  const stopAll = () => Promise.all(started.map((s) => s.stop()));
  const forget = stopOnInterrupt(stopAll);
  return {
    databaseUrl,
    redisUrl,
    async freshDatabase() {
      const name = `bench_${randomBytes(5).toString('hex')}`;
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
      const u = new URL(admin);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async stop() {
      await stopAll();
      forget();
    },
  };
}
