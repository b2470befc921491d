// Statements sent by name on PostgreSQL: parsed once per connection, bounded in number, still
// right after a schema change alters what a prepared statement returns, and never used for
// parameterless texts (which may hold several statements).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/store/db.js';
import { freshDatabase, startPonte, type Ponte } from '../support/ponte.js';

describe('named statements on PostgreSQL', () => {
  let db: Db;
  beforeAll(async () => {
    db = createDb(await freshDatabase(), { max: 1, prepare: true });
    await db.query('CREATE TABLE items (id int PRIMARY KEY, label text)');
    await db.query("INSERT INTO items VALUES (1, 'um'), (2, 'dois')");
  });
  afterAll(async () => db.close());

  const prepared = async () => (await db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY statement')).rows.map((r) => r.statement);

  it('prepares a statement with parameters once and answers each call with its own values', async () => {
    const a = await db.query('SELECT label FROM items WHERE id = $1', [1]);
    const b = await db.query('SELECT label FROM items WHERE id = $1', [2]);
    expect([a.rows[0]!.label, b.rows[0]!.label]).toEqual(['um', 'dois']);
    expect((await prepared()).filter((s) => s === 'SELECT label FROM items WHERE id = $1')).toHaveLength(1);
  });

  it('sends a text without parameters as it is, several statements included', async () => {
    await db.query("INSERT INTO items VALUES (3, 'três'); INSERT INTO items VALUES (4, 'quatro')");
    expect((await db.query('SELECT count(*)::int AS n FROM items')).rows[0]!.n).toBe(4);
    expect(await prepared()).not.toContain('SELECT count(*)::int AS n FROM items');
  });

  it('answers with the new columns after a migration changes the table a prepared statement reads', async () => {
    const text = 'SELECT * FROM items WHERE id = $1';
    expect(Object.keys((await db.query(text, [1])).rows[0]!)).toEqual(['id', 'label']);
    await db.query('ALTER TABLE items ADD COLUMN note text');
    expect(Object.keys((await db.query(text, [1])).rows[0]!)).toEqual(['id', 'label', 'note']);
  });

  it('names at most 500 distinct texts per process; the rest still run', async () => {
    for (let i = 0; i < 520; i++) expect((await db.query(`SELECT $1::int + ${i} AS n`, [1])).rows[0]!.n).toBe(1 + i);
    expect((await prepared()).length).toBeLessThanOrEqual(500);
    expect((await prepared()).length).toBeGreaterThan(400);
  });
});

describe.each([
  ['unset (the default)', {}, true],
  ['DATABASE_PREPARED_STATEMENTS=false', { DATABASE_PREPARED_STATEMENTS: 'false' }, false],
] as const)('ponte on PostgreSQL with %s', (_label, env, named) => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', { env });
  });
  afterAll(async () => p.close());

  it(named ? 'sends its statements by name' : 'sends every statement unnamed (for a pooler that cannot keep them)', async () => {
    const client = await p.deps.db.pool.connect();
    client.release();
    // With one connection idle, the next queries run on it: a named statement shows in its session.
    await p.deps.db.query('SELECT $1::int AS n', [1]);
    const { rows } = await p.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE $1", ['ponte\\_%']);
    expect(rows[0]!.n > 0).toBe(named);
  });
});
