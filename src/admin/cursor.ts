// Opaque keyset cursors: the sort key of the last row of a page, as base64url JSON.
// Opaque so clients never build one, and checked on the way back so a bad one is a 400.

import { ValidationError } from '../errors.js';

export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor whose key has one value per checker; anything else is a 400 on `cursor`. */
export function decodeCursor<T extends unknown[]>(cursor: string, checks: { [K in keyof T]: (v: unknown) => v is T[K] }): T {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== checks.length || !checks.every((check, i) => check(key[i]))) {
    throw ValidationError.field('cursor', 'is not a cursor this list returned (pass nextCursor as it came)');
  }
  return key as T;
}

const ISO_8601 = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 instant the database can store (years 1000 to 9999): anything Date.parse
 * happens to accept ("Tue, 1 Jan", "0000-01-01T00:00:00Z") would otherwise reach SQL.
 */
export const isTimestamp = (v: unknown): v is string => {
  if (typeof v !== 'string') return false;
  const match = ISO_8601.exec(v);
  return match !== null && Number(match[1]) >= 1000 && !Number.isNaN(Date.parse(v));
};
export const isUuid = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
export const isSerial = (v: unknown): v is string => typeof v === 'string' && /^[0-9]{1,19}$/.test(v);

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw ValidationError.field('limit', `must be an integer from 1 to ${MAX_LIMIT}`);
  return limit;
}
