// A database owned by a role of its own on the shared test PostgreSQL server, with ponte's and
// BullMQ's schema applied, so a test can shut that role out (`limit(0)`: PostgreSQL answers
// "too many connections for role", as a server at max_connections does) and let it back in.

import { inject } from 'vitest';
import pg from 'pg';
import { createDb } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { uniqueName } from './ponte.js';

/** One statement as the test server's administrator. */
export async function adminSql(sql: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}

export interface LimitedDatabase {
  url: string;
  /** Connections the role may hold (-1: no limit); 0 also ends the ones it holds. */
  limit(connections: number): Promise<void>;
  drop(): Promise<void>;
}

export async function limitedDatabase(): Promise<LimitedDatabase> {
  const role = uniqueName('limited');
  const database = uniqueName('ponte');
  await adminSql(`CREATE ROLE ${role} LOGIN NOSUPERUSER`);
  await adminSql(`CREATE DATABASE ${database} OWNER ${role}`);
  const url = new URL(inject('databaseUrl'));
  url.username = role;
  url.pathname = `/${database}`;
  const db = createDb(url.toString(), { max: 2 });
  await migrate(db, { bullmq: true });
  await db.close();
  return {
    url: url.toString(),
    async limit(connections) {
      await adminSql(`ALTER ROLE ${role} CONNECTION LIMIT ${connections}`);
      if (connections === 0) await adminSql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${role}'`);
    },
    async drop() {
      await adminSql(`DROP DATABASE ${database} WITH (FORCE)`);
      await adminSql(`DROP ROLE ${role}`);
    },
  };
}
