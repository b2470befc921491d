// The one database handle: a `pg` pool (real PostgreSQL or the embedded PGlite server),
// with a transaction helper. Repositories take a `Queryable` so they run inside or outside one.

import pg from 'pg';
import { UnavailableError } from '../errors.js';
import { GuardedClient } from './guarded-client.js';
import { PreparedNames } from './prepared.js';

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface Db extends Queryable {
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly pool: pg.Pool;
}

// Connection-level failures mean the database is down, not that the request is wrong.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);

export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code && UNAVAILABLE_CODES.has(e.code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(e?.message ?? '');
}

function wrap(err: unknown): never {
  if (isConnectionError(err)) throw new UnavailableError('DATABASE_UNAVAILABLE', 'the database is unreachable; nothing was written, try again', err);
  throw err;
}

export interface DbOptions {
  /** Pool size. */
  max?: number;
  /** Send repeated statements by name (real PostgreSQL only; see src/store/prepared.ts). */
  prepare?: boolean;
}

export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10000, Client: GuardedClient });
  const names = options.prepare ? new PreparedNames() : undefined;
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return {
    pool,
    async query(text, values) {
      try {
        return await (names ? names.run((config) => pool.query(config), text, values) : pool.query(text, values));
      } catch (err) {
        return wrap(err);
      }
    },
    async tx(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        return wrap(err);
      }
      let broken = false;
      // A server that goes away mid-transaction leaves the client unusable: it is not pooled again.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(client as Queryable);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        return wrap(err);
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async ping() {
      await this.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
