// Keyset pages for the lists: rows in a stable order whose last column is unique (ties broken
// by id), the cursor is the last row's key — times kept at microseconds, so rows written in the
// same millisecond are never skipped — and one extra row fetched tells whether a page follows.

import type { Queryable } from './db.js';
import { decodeCursor, encodeCursor, isSerial, isTimestamp, isUuid, pageLimit } from '../admin/cursor.js';
import { SqlWhere } from './sql-where.js';

export type KeyType = 'timestamptz' | 'uuid' | 'text' | 'bigint';

/** The sort key: SQL expressions with their types, all in one direction. */
export interface Keyset {
  columns: Array<readonly [sql: string, type: KeyType]>;
  desc?: boolean;
}

export interface PageRequest { limit?: number; cursor?: string }
export interface Page<R> { rows: R[]; nextCursor: string | null }

const isKeyText = (v: unknown): v is string => typeof v === 'string' && v.length <= 300;
const CHECKS = { timestamptz: isTimestamp, uuid: isUuid, text: isKeyText, bigint: isSerial } as const;
const KEY = 'ponte_page_key';

/**
 * `SELECT <select> FROM <from> <where> ORDER BY <key> LIMIT limit+1`; the cursor (a 400 on
 * `cursor` when it is not one this key produced) adds `key > last` to `where`.
 */
export async function keysetPage<R extends object>(
  q: Queryable, query: { select: string; from: string; where?: SqlWhere }, key: Keyset, page: PageRequest,
): Promise<Page<R>> {
  const limit = pageLimit(page.limit);
  const where = query.where ?? new SqlWhere();
  const columns = key.columns.map(([sql]) => sql).join(', ');
  if (page.cursor) {
    const values = decodeCursor<string[]>(page.cursor, key.columns.map(([, type]) => CHECKS[type]));
    where.and(`(${columns}) ${key.desc ? '<' : '>'} (${key.columns.map(([, type]) => `?::${type}`).join(', ')})`, ...values);
  }
  const order = key.columns.map(([sql]) => `${sql}${key.desc ? ' DESC' : ''}`).join(', ');
  const { rows } = await q.query<R & { [KEY]: string[] }>(
    `SELECT ${query.select}, ARRAY[${key.columns.map(([sql]) => `to_json(${sql}) #>> '{}'`).join(', ')}] AS ${KEY} FROM ${query.from} ${where} ORDER BY ${order} LIMIT ${where.param(limit + 1)}`,
    where.values,
  );
  const taken = rows.slice(0, limit);
  const last = taken[taken.length - 1];
  return {
    rows: taken.map((row) => withoutKey(row)),
    nextCursor: rows.length > limit && last ? encodeCursor(last[KEY]) : null,
  };
}

function withoutKey<R extends object>(row: R & { [KEY]: string[] }): R {
  const copy: Record<string, unknown> = { ...row };
  delete copy[KEY];
  return copy as R;
}
