// Writes that must commit together, sent as one statement: each but the last becomes a
// data-modifying CTE of the last, so PostgreSQL runs them atomically in one round trip
// (no BEGIN/COMMIT, no statement waiting for the answer of the one before).
// The parts must be independent: in one statement they all see the same snapshot.

import type { Queryable } from './db.js';

/** One SQL statement with its own `$1…` numbering. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** `$n` → `$(n + by)`: the fragments here hold no dollar-quoted text. */
function renumber(text: string, by: number): string {
  return by === 0 ? text : text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + by}`);
}

/** The statements as one: `WITH s0 AS (…), s1 AS (…) <last>`. */
export function combine(parts: Statement[]): Statement {
  if (parts.length === 0) throw new Error('combine: no statement');
  const values: unknown[] = [];
  const texts = parts.map((p) => {
    const text = renumber(p.text, values.length);
    values.push(...p.values);
    return text;
  });
  const last = texts.pop()!;
  return { text: texts.length ? `WITH ${texts.map((t, i) => `s${i} AS (${t})`).join(', ')} ${last}` : last, values };
}

/** Runs the statements as one (see combine); the rows the last one wrote. */
export async function runTogether(q: Queryable, parts: Statement[]): Promise<number> {
  const { text, values } = combine(parts);
  return (await q.query(text, values)).rowCount ?? 0;
}
