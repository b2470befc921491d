// Reading a table's rows that concern a person: the owned ones (registry `owned`) and the
// ones that only mention an identifier, in key order and in pages, for find and export.

import type { Queryable } from '../store/db.js';
import type { TableEntry } from './registry.js';
import { bind, mentionRegex, mentionSql, ownedSql, type Scope } from './scope.js';

export interface Counted { owned: number; mentioned: number }

/** The WHERE condition selecting a table's rows of the scope, with its parameters. */
export function scopeCondition(entry: TableEntry, scope: Scope): { where: string; values: unknown[]; owned: string } | null {
  const re = mentionRegex(scope);
  const mention = re ? mentionSql(entry, '$1') : null;
  if (!entry.owned && !mention) return null;
  const bound = bind(ownedSql(entry), scope, mention ? 1 : 0);
  if (!mention) return { where: bound.text, values: bound.values, owned: bound.text };
  return { where: `(${bound.text} OR ${mention})`, values: [re, ...bound.values], owned: bound.text };
}

export async function countRows(q: Queryable, entry: TableEntry, scope: Scope): Promise<Counted> {
  const c = scopeCondition(entry, scope);
  if (!c) return { owned: 0, mentioned: 0 };
  const { rows } = await q.query<{ owned: string; total: string }>(
    `SELECT count(*) FILTER (WHERE ${c.owned}) AS owned, count(*) AS total FROM ${entry.table} WHERE ${c.where}`,
    c.values,
  );
  return { owned: Number(rows[0]!.owned), mentioned: Number(rows[0]!.total) - Number(rows[0]!.owned) };
}

/** Every row of the scope in a table, a page at a time (export streams them). */
export async function* scopeRows(q: Queryable, entry: TableEntry, scope: Scope, pageSize = 500): AsyncGenerator<Record<string, unknown>[]> {
  const c = scopeCondition(entry, scope);
  if (!c) return;
  const keys = entry.key.join(', ');
  let after: unknown[] | null = null;
  for (;;) {
    const values = [...c.values];
    let cursor = '';
    if (after) {
      cursor = ` AND (${keys}) > (${after.map((v) => { values.push(v); return `$${values.length}`; }).join(', ')})`;
    }
    const { rows } = await q.query(`SELECT * FROM ${entry.table} WHERE ${c.where}${cursor} ORDER BY ${keys} LIMIT ${pageSize}`, values);
    if (rows.length) yield rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = entry.key.map((k) => last[k]);
  }
}
