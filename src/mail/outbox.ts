// Reading the mail record for admins: filters and a keyset cursor, newest first.

import type { Deps } from '../deps.js';
import { listMail, mailView, type MailStatus } from './store.js';

export interface MailQuery { status?: MailStatus; returnId?: string; to?: string; limit?: number; cursor?: string }

export async function readMailbox(deps: Deps, query: MailQuery) {
  const { rows, nextCursor } = await listMail(deps.db, query, query);
  return { smtpConfigured: deps.config.smtpUrl !== undefined, items: rows.map(mailView), nextCursor };
}
