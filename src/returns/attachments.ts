// Files attached to replies and interactions: uploaded first (multipart) under
// <uploadDir>/returns/<returnId>/<attachmentId>, then referenced by id from one reply.
// A failed upload leaves no partial file; the client downloads only files of visible entries.

import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { NotFoundError, PonteError, ValidationError, uploadFault } from '../errors.js';
import { isUuid } from '../store/integrations.js';
import { plainText } from '../domain/return-format.js';
import { servedContentType } from '../domain/file-types.js';
import type { AttachmentRef } from './timeline.js';
import { loadReturn } from './service.js';

/** At most this many files in one upload, each at most this big (413 beyond). */
export const UPLOAD_LIMITS = { files: 5, fileSize: 25 * 1024 * 1024 };

export interface UploadedFile { filename: string; mimetype: string; file: Readable }

interface AttachmentRow { id: string; return_id: string; entry_id: string | null; filename: string; content_type: string; size: string; path: string }

const ref = (r: AttachmentRow): AttachmentRef => ({ id: r.id, filename: r.filename, contentType: r.content_type, size: Number(r.size) });

/** A name safe to show and to put in a Content-Disposition header. */
function safeName(name: string): string {
  const base = plainText(path.basename(name || 'file')).replace(/[\u0000-\u001f"\\]/g, '_').slice(0, 200);
  return base || 'file';
}

export async function saveUploads(deps: Deps, returnId: string, files: AsyncIterable<UploadedFile>, actor: string): Promise<AttachmentRef[]> {
  await loadReturn(deps, returnId);
  const dir = path.join(deps.uploadDir, 'returns', returnId);
  const written: Array<{ id: string; abs: string; rel: string; filename: string; contentType: string; size: number }> = [];
  try {
    for await (const f of files) {
      await mkdir(dir, { recursive: true });
      const id = randomUUID();
      const abs = path.join(dir, id);
      written.push({ id, abs, rel: path.posix.join('returns', returnId, id), filename: safeName(f.filename), contentType: servedContentType(f.mimetype), size: 0 });
      await pipeline(f.file, createWriteStream(abs));
      if ((f.file as Readable & { truncated?: boolean }).truncated) throw new PonteError('PAYLOAD_TOO_LARGE', `a file is larger than ${UPLOAD_LIMITS.fileSize} bytes`, { status: 413 });
      written[written.length - 1]!.size = (await stat(abs)).size;
    }
    if (written.length === 0) throw ValidationError.field('files', 'send at least one file (multipart/form-data)');
    const rows = await deps.db.tx(async (q) => {
      const out: AttachmentRow[] = [];
      for (const w of written) {
        const { rows } = await q.query<AttachmentRow>(
          'INSERT INTO return_attachments (id, return_id, filename, content_type, size, path, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *',
          [w.id, returnId, w.filename, w.contentType, w.size, w.rel, actor, deps.clock.now()],
        );
        out.push(rows[0]!);
      }
      return out;
    });
    return rows.map(ref);
  } catch (err) {
    await Promise.all(written.map((w) => unlink(w.abs).catch(() => undefined)));
    throw uploadFault(err);
  }
}

/** Locks the given uploads of this return for one entry; each may be used once. */
export async function claimAttachments(q: Queryable, returnId: string, ids: string[]): Promise<AttachmentRef[]> {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  const { rows } = await q.query<AttachmentRow>(
    'SELECT * FROM return_attachments WHERE return_id = $1 AND id = ANY($2::uuid[]) AND entry_id IS NULL FOR UPDATE',
    [returnId, unique.filter(isUuid)],
  );
  const missing = unique.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) {
    throw new ValidationError(`attachmentIds: ${missing.join(', ')} not uploaded to this return or already used`, missing.map((id) => ({ path: `attachmentIds[${ids.indexOf(id)}]`, message: `no unused upload ${id} on this return` })));
  }
  return unique.map((id) => ref(rows.find((r) => r.id === id)!));
}

export async function attachToEntry(q: Queryable, entryId: string, refs: AttachmentRef[]): Promise<void> {
  if (refs.length) await q.query('UPDATE return_attachments SET entry_id = $1 WHERE id = ANY($2::uuid[])', [entryId, refs.map((r) => r.id)]);
}

/** Opens a file of the return; for the client, only one carried by a client-visible entry. */
export async function openAttachment(deps: Deps, returnId: string, attachmentId: string, clientView: boolean): Promise<{ ref: AttachmentRef; stream: ReadStream }> {
  if (!isUuid(attachmentId)) throw new NotFoundError('attachment', attachmentId);
  const { rows } = await deps.db.query<AttachmentRow>(
    `SELECT a.* FROM return_attachments a LEFT JOIN return_timeline t ON t.id = a.entry_id
     WHERE a.return_id = $1 AND a.id = $2 ${clientView ? 'AND t.visible_to_client' : ''}`,
    [returnId, attachmentId],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError('attachment', attachmentId);
  const stream = createReadStream(path.join(deps.uploadDir, row.path));
  await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject)).catch(() => {
    throw new NotFoundError('attachment', attachmentId);
  });
  return { ref: ref(row), stream };
}
