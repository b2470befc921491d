// Files sent during a chat, streamed to disk under <uploadDir>/<chatId>/: each file is written
// to a temporary name and renamed only when the whole upload is accepted, so a refused upload
// (too many files, too large) or a failed one leaves nothing behind.

import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError, uploadFault } from '../errors.js';
import { assertOpen } from '../domain/chat-state.js';
import { UPLOAD_LIMITS, cleanFilename, tooManyFiles, uploadTooLarge } from '../domain/chat-attachments.js';
import { toState } from '../store/chat-records.js';
import { getAttachment, insertAttachments, type Attachment, type NewAttachment } from '../store/chat-attachments.js';
import { loadChat, onChat } from './chat-change.js';
import { requireAgent } from './actors.js';
import { namedAgent } from '../auth/actor.js';
import { addMessage } from '../store/chat-messages.js';
import { CHAT_TEXTS } from '../domain/chat-texts.js';
import { servedContentType } from '../domain/file-types.js';

/** One part of a multipart body, as @fastify/multipart yields it. */
export type UploadPart =
  | { type: 'file'; filename: string; mimetype: string; file: Readable & { truncated?: boolean } }
  | { type: 'field'; fieldname: string; value: unknown };

interface Written extends NewAttachment { tmp: string; final: string }

/** Multipart limit errors of the parser, in the API's terms. */
function translate(err: unknown): unknown {
  const code = (err as { code?: string }).code;
  if (code === 'FST_FILES_LIMIT') return tooManyFiles();
  if (code === 'FST_REQ_FILE_TOO_LARGE') return uploadTooLarge();
  return uploadFault(err);
}

async function writeParts(dir: string, chatId: string, parts: AsyncIterable<UploadPart>, written: Written[]): Promise<string | null> {
  let total = 0;
  let uploadedBy: string | null = null;
  for await (const part of parts) {
    if (part.type === 'field') {
      if (part.fieldname === 'agentId' && typeof part.value === 'string') uploadedBy = part.value.slice(0, 100);
      continue;
    }
    const id = randomUUID();
    const entry: Written = {
      id, chatId, filename: cleanFilename(part.filename), contentType: servedContentType(part.mimetype), size: 0,
      path: `${chatId}/${id}`, uploadedBy: null, tmp: path.join(dir, `.${id}.part`), final: path.join(dir, id),
    };
    written.push(entry);
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        entry.size += chunk.length;
        total += chunk.length;
        done(total > UPLOAD_LIMITS.totalBytes ? uploadTooLarge() : null, chunk);
      },
    });
    await pipeline(part.file, counter, createWriteStream(entry.tmp));
    if (part.file.truncated) throw uploadTooLarge();
  }
  return uploadedBy;
}

/** `actingAgentId`: the agent named by X-Agent-Id; the multipart agentId field must agree. */
export async function uploadAttachments(deps: Deps, chatId: string, parts: AsyncIterable<UploadPart>, actingAgentId: string | null = null): Promise<Attachment[]> {
  assertOpen(toState(await loadChat(deps.db, chatId)), 'upload files');
  const dir = path.join(deps.uploadDir, chatId);
  await mkdir(dir, { recursive: true });
  const written: Written[] = [];
  try {
    const field = await writeParts(dir, chatId, parts, written);
    const uploadedBy = namedAgent(actingAgentId ?? undefined, field ?? undefined)?.id ?? null;
    if (written.length === 0) throw ValidationError.field('files', 'the upload carries no file', 'NO_FILES');
    for (const w of written) await rename(w.tmp, w.final);
    return await onChat(deps, chatId, async (q, row) => {
      assertOpen(toState(row), 'upload files'); // closed meanwhile?
      const uploader = uploadedBy ? await requireAgent(q, uploadedBy) : undefined;
      const now = deps.clock.now();
      const saved = await insertAttachments(q, written.map(({ tmp: _t, final: _f, ...a }) => ({ ...a, uploadedBy })), now);
      // The upload is part of the conversation: a line in the chat, and so in the transcript.
      const message = await addMessage(q, chatId, { from: 'system', text: CHAT_TEXTS.filesSent(uploader?.name ?? null, saved) }, now);
      return { result: saved, events: [{ type: 'attachment', data: { attachments: saved.map(({ path: _p, ...a }) => a) } }, { type: 'message', data: { message } }] };
    });
  } catch (err) {
    await Promise.all(written.flatMap((w) => [rm(w.tmp, { force: true }), rm(w.final, { force: true })]));
    throw translate(err);
  }
}

export async function attachmentFile(deps: Deps, chatId: string, attachmentId: string): Promise<{ attachment: Attachment; file: string }> {
  await loadChat(deps.db, chatId);
  const attachment = await getAttachment(deps.db, chatId, attachmentId);
  if (!attachment) throw new NotFoundError('attachment', attachmentId);
  return { attachment, file: path.join(deps.uploadDir, attachment.path) };
}
