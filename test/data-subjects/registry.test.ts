// The registry of personal data is complete: every text, varchar, JSON or text-array column
// of ponte's migrated database is classified, and the registry names nothing that is gone.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openStore } from '../support/stores.js';
import { REGISTRY } from '../../src/data-subjects/registry.js';

const TEXTUAL = ['text', 'varchar', 'bpchar', 'json', 'jsonb', 'citext', '_text', '_varchar', '_json', '_jsonb'];

describe('the data-subject registry', () => {
  let store: Awaited<ReturnType<typeof openStore>>;
  let columns: Array<{ table: string; column: string }>;
  beforeAll(async () => {
    store = await openStore('postgres');
    const { rows } = await store.db.query<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = 'public' AND c.udt_name = ANY($1) ORDER BY 1, 2`,
      [TEXTUAL],
    );
    columns = rows.map((r) => ({ table: r.table_name, column: r.column_name }));
  });
  afterAll(() => store.close());

  it('classifies every text and JSON column of every table (personal or not)', () => {
    const unclassified = columns.filter(({ table, column }) => !REGISTRY.find((e) => e.table === table)?.columns[column]);
    expect(unclassified.map((c) => `${c.table}.${c.column}`), 'add these columns to src/data-subjects/registry.ts').toEqual([]);
  });

  it('names only tables and columns that exist', () => {
    const stale = REGISTRY.flatMap((e) => Object.keys(e.columns).map((c) => `${e.table}.${c}`))
      .filter((name) => !columns.some((c) => `${c.table}.${c.column}` === name));
    expect(stale).toEqual([]);
  });

  it('lists each table once, and every table it lists says how its rows reach a person or holds nothing personal', () => {
    const names = REGISTRY.map((e) => e.table);
    expect(new Set(names).size).toBe(names.length);
    const personalWithoutOwner = REGISTRY.filter((e) => !e.owned && Object.values(e.columns).some((t) => ['email', 'name', 'phone', 'taxId', 'file'].includes(t)));
    expect(personalWithoutOwner.map((e) => e.table)).toEqual([]);
  });
});
