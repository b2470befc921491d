// Reading the mail record for admins: filters and a keyset cursor, newest first.

import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { listMail, mailView, type MailStatus } from './store.js';

export interface MailQuery { status?: MailStatus; returnId?: string; to?: string; limit?: number; cursor?: string }

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/i.test(id)) throw ValidationError.field('cursor', 'is not a cursor this API gave');
  return { createdAt, id };
}

export async function readMailbox(deps: Deps, query: MailQuery) {
  const limit = query.limit ?? 50;
  const rows = await listMail(deps.db, { ...query, limit, after: query.cursor ? decodeCursor(query.cursor) : undefined });
  const last = rows.length === limit ? rows[rows.length - 1] : undefined;
  return {
    smtpConfigured: deps.config.smtpUrl !== undefined,
    items: rows.map(mailView),
    nextCursor: last ? Buffer.from(`${last.created_at.toISOString()}|${last.id}`).toString('base64url') : null,
  };
}
