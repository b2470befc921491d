// Chat attachments: multipart upload (at most 2 files, 50 MB in total per upload), list and
// download. @fastify/multipart is registered here only, so no other route parses multipart.

import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { Deps } from '../deps.js';
import { attachmentFile, uploadAttachments, type UploadPart } from '../chats/attachments.js';
import { loadChat } from '../chats/chat-change.js';
import { UPLOAD_LIMITS } from '../domain/chat-attachments.js';
import { PonteError } from '../errors.js';
import { listAttachments, type Attachment } from '../store/chat-attachments.js';
import { chatIdParam, chatRoles } from './chats-params.js';

const view = ({ path: _path, ...a }: Attachment) => a;

export async function chatFileRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  await app.register(multipart, {
    // One byte over the total lets the upload's own count report "too large" (413).
    limits: { files: UPLOAD_LIMITS.files, fileSize: UPLOAD_LIMITS.totalBytes + 1, fields: 10, fieldSize: 1000, parts: UPLOAD_LIMITS.files + 10 },
  });

  app.post<{ Params: { id: string } }>('/v1/chats/:id/attachments', {
    config: chatRoles,
    schema: {
      tags: ['chats'],
      summary: `Send files (multipart: at most ${UPLOAD_LIMITS.files} files and 50 MB per upload; optional field agentId)`,
      consumes: ['multipart/form-data'],
      params: chatIdParam,
    },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw new PonteError('UNSUPPORTED_MEDIA_TYPE', 'send the files as multipart/form-data', { status: 415 });
    const saved = await uploadAttachments(deps, request.params.id, request.parts() as AsyncIterable<UploadPart>);
    return reply.status(201).send({ items: saved.map(view) });
  });

  app.get<{ Params: { id: string } }>('/v1/chats/:id/attachments', {
    config: chatRoles,
    schema: { tags: ['chats'], summary: "A chat's attachments", params: chatIdParam },
  }, async (request) => {
    await loadChat(deps.db, request.params.id);
    return { items: (await listAttachments(deps.db, request.params.id)).map(view) };
  });

  app.get<{ Params: { id: string; attId: string } }>('/v1/chats/:id/attachments/:attId', {
    config: chatRoles,
    schema: {
      tags: ['chats'],
      summary: 'Download an attachment',
      params: { type: 'object', required: ['id', 'attId'], properties: { id: { type: 'string', maxLength: 100 }, attId: { type: 'string', maxLength: 100 } } },
    },
  }, async (request, reply) => {
    const { attachment, file } = await attachmentFile(deps, request.params.id, request.params.attId);
    const ascii = attachment.filename.replace(/[^\x20-\x7e]/g, '_');
    return reply
      .header('content-type', attachment.contentType)
      .header('content-length', attachment.size)
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`)
      .send(createReadStream(file));
  });
}
