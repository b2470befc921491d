// Files of a reply that are too large for the e-mail travel as links: each file gets a token of
// its own (only its hash is stored), opening that one file while the return is valid and the
// entry is visible to the client. The portal's own token opens the files too.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { NotFoundError } from '../errors.js';
import { isUuid } from '../store/integrations.js';
import { getReturn, type ReturnRow } from './store.js';
import { newPortalToken, portalTokenMatches } from './portal-token.js';
import { authorizePortal, expiredError } from './portal.js';
import { isExpired } from '../domain/return-rules.js';

export interface ReplyFile { id: string; filename: string; contentType: string; size: number }

export async function entryFiles(q: Queryable, entryId: string): Promise<ReplyFile[]> {
  const { rows } = await q.query<{ id: string; filename: string; content_type: string; size: string }>(
    'SELECT id, filename, content_type, size FROM return_attachments WHERE entry_id = $1 ORDER BY uploaded_at, id', [entryId]);
  return rows.map((r) => ({ id: r.id, filename: r.filename, contentType: r.content_type, size: Number(r.size) }));
}

/** A download link for one file (a new token each time: the links mailed before keep working only if they were the last). */
export async function issueFileLink(q: Queryable, publicUrl: string, returnId: string, fileId: string): Promise<string> {
  const link = newPortalToken();
  await q.query('UPDATE return_attachments SET link_token_hash = $2 WHERE id = $1', [fileId, link.hash]);
  return `${publicUrl.replace(/\/+$/, '')}/v1/portal/returns/${returnId}/attachments/${fileId}?token=${encodeURIComponent(link.token)}`;
}

/** The return a file download is for: its portal token, or the file's own link token. */
export async function authorizeFileDownload(deps: Deps, returnId: string, fileId: string, token: string | undefined): Promise<ReturnRow> {
  if (token && isUuid(fileId)) {
    const { rows } = await deps.db.query<{ link_token_hash: string | null }>('SELECT link_token_hash FROM return_attachments WHERE id = $1 AND return_id = $2', [fileId, returnId]);
    const hash = rows[0]?.link_token_hash ?? null;
    if (hash && portalTokenMatches(token, hash)) {
      const row = await getReturn(deps.db, returnId);
      // A revoked portal access takes the file links with it; past validUntil they answer 410 as the portal does.
      if (!row || row.portal_token_hash === null) throw new NotFoundError('return', returnId);
      if (isExpired(row.valid_until, deps.clock.now())) throw expiredError(row);
      return row;
    }
  }
  return authorizePortal(deps, returnId, token);
}
