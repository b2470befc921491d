// The helpdesk ids of chats that retention or a data-subject erasure removed (migration 103
// keeps their digests): such a session is refused, never written again with a second ERP case.

import { ConflictError } from '../errors.js';
import type { Queryable } from './db.js';

/** The SQLSTATE migration 103's trigger raises when a chat would be created for a forgotten externalId. */
const FORGOTTEN_SQLSTATE = 'PT409';

export function forgottenSession(path = 'externalId'): ConflictError {
  return new ConflictError(
    'SESSION_FORGOTTEN',
    'the chat of this externalId was removed by retention or a data-subject erasure; nothing is written again (its integrations keep their ERP numbers)',
    [{ path, message: 'names a chat that was removed' }],
  );
}

export const isForgottenSessionError = (err: unknown): boolean => (err as { code?: string }).code === FORGOTTEN_SQLSTATE;

export async function isForgotten(db: Queryable, externalId: string): Promise<boolean> {
  // The digest is migration 103's own function: one definition for the trigger and this check.
  const { rows } = await db.query('SELECT 1 FROM forgotten_sessions WHERE digest = ponte_session_digest($1)', [externalId]);
  return rows.length > 0;
}
