import { describe, it, expect } from 'vitest';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { groupExtendedQueries } from '../../src/store/pglite-queue.js';

async function withServer(fn: (pool: pg.Pool) => Promise<void>): Promise<void> {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 32 });
  groupExtendedQueries(server);
  await server.start();
  const pool = new pg.Pool({ connectionString: `postgresql://postgres@${server.getServerConn()}/postgres`, max: 16 });
  try {
    await fn(pool);
  } finally {
    await pool.end();
    await server.stop();
    await db.close();
  }
}

describe('embedded database (pglite-socket) under concurrent connections', () => {
  it("keeps each connection's parameterized queries whole (no interleaved Parse/Bind)", async () => {
    await withServer(async (pool) => {
      await pool.query('CREATE TABLE probe (a int, b text, c int, d text)');
      // Statements with different parameter counts from 16 connections at once; the large
      // parameter spreads a message over several socket reads, which let another connection's
      // Parse slip in between this one's Parse and Bind.
      const big = 'x'.repeat(200_000);
      const work = Array.from({ length: 600 }, (_, i) =>
        i % 3 === 0
          ? pool.query('INSERT INTO probe (a, b, c, d) VALUES ($1, $2, $3, $4)', [i, big, i, 'y'])
          : i % 3 === 1
            ? pool.query('SELECT count(*)::int AS n FROM probe WHERE a >= $1', [0])
            : pool.query('SELECT $1::text || $2::text AS s', ['a', 'b']),
      );
      const results = await Promise.allSettled(work);
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      expect((await pool.query('SELECT count(*)::int AS n FROM probe')).rows[0].n).toBe(200);
    });
  });

  it('goes on serving after a failed statement', async () => {
    await withServer(async (pool) => {
      const outcomes = await Promise.allSettled([pool.query('SELECT $1::int / 0 AS x', [1]), pool.query('SELECT $1::int AS x', [2])]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
      expect((await pool.query('SELECT 3 AS x')).rows[0].x).toBe(3);
    });
  });
});
