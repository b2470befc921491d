// A pooled client checked out between two statements (inside a transaction, a migration,
// BullMQ's schema check) whose server goes away must not take the process down: its next
// statement fails, and the pool serves the next one from a new connection.

import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/store/db.js';
import { freshDatabase } from '../support/ponte.js';
import { adminSql } from '../support/limited-role.js';

describe('a checked-out client whose server goes away', () => {
  let db: Db | undefined;
  afterAll(async () => db?.close());

  it('fails its next statement, crashes nothing, and the pool goes on with a new connection', async () => {
    db = createDb(await freshDatabase(), { max: 2 });
    const client = await db.pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const ended = new Promise((resolve) => client.once('end', resolve));
    await adminSql('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await ended;
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release(true);
    const after = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(after.rows[0]!.pid).not.toBe(rows[0]!.pid);
  });
});
