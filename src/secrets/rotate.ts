// At every start: what is not sealed with the current PONTE_SECRET_KEY is sealed again — a
// value sealed with PONTE_SECRET_KEY_PREVIOUS (a rotation in progress) or kept in clear by an
// older version (webhook secrets before sealing existed). Each row is rewritten only if it
// still holds what was read, so processes starting together do not undo each other.

import type { Queryable } from '../store/db.js';
import type { Logger } from '../log.js';
import type { Keyring } from './keyring.js';

/** Every column that holds a sealed secret: table, key column, secret column. */
export const SEALED_COLUMNS = [
  { table: 'webhook_subscriptions', id: 'id', column: 'secret' },
  { table: 'mail_messages', id: 'id', column: 'secret_link' },
] as const;

const SEALED = /^v1:[0-9a-f]{12}:/;

export async function resealSecrets(q: Queryable, keyring: Keyring, log: Logger): Promise<number> {
  let resealed = 0;
  for (const { table, id, column } of SEALED_COLUMNS) {
    const { rows } = await q.query<{ id: string; value: string }>(
      `SELECT ${id} AS id, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL AND ${column} NOT LIKE $1`,
      [`${keyring.currentPrefix}%`],
    );
    for (const row of rows) {
      let plain: string;
      try {
        plain = SEALED.test(row.value) ? keyring.open(row.value) : row.value;
      } catch (err) {
        log.error({ err, table, id: row.id }, `${table}.${column} cannot be opened with PONTE_SECRET_KEY or PONTE_SECRET_KEY_PREVIOUS; left as it is`);
        continue;
      }
      const { rowCount } = await q.query(`UPDATE ${table} SET ${column} = $3 WHERE ${id} = $1 AND ${column} = $2`, [row.id, row.value, keyring.seal(plain)]);
      resealed += rowCount ?? 0;
    }
  }
  if (resealed) log.info({ resealed }, 'secrets sealed again with the current PONTE_SECRET_KEY');
  return resealed;
}
