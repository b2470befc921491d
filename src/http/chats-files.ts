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
import { answers, itemsOf, listQuery, pageOf, SHORT_LIST, type ListQuery } from './answers.js';
import { FILE_FIELD, multipartBody } from './openapi.js';
import { sendFile } from './file-download.js';

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
      operationId: 'uploadChatAttachments',
      summary: `Send files (multipart: at most ${UPLOAD_LIMITS.files} files and 50 MB per upload; optional field agentId)`,
      consumes: ['multipart/form-data'],
      params: chatIdParam,
      ...multipartBody({ file: FILE_FIELD, agentId: { type: 'string', maxLength: 100, description: 'The agent sending the files.' } }, ['file']),
      response: answers({ 201: itemsOf('ChatAttachment') }, 404),
    },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw new PonteError('UNSUPPORTED_MEDIA_TYPE', 'send the files as multipart/form-data', { status: 415 });
    const saved = await uploadAttachments(deps, request.params.id, request.parts() as AsyncIterable<UploadPart>, request.actingAgentId);
    return reply.status(201).send({ items: saved.map(view) });
  });

  app.get<{ Params: { id: string }; Querystring: ListQuery }>('/v1/chats/:id/attachments', {
    config: chatRoles,
    schema: { tags: ['chats'], operationId: 'listChatAttachments', summary: "A chat's attachments, oldest first", params: chatIdParam, querystring: listQuery({}, SHORT_LIST), response: answers({ 200: pageOf('ChatAttachment') }, 404) },
  }, async (request) => {
    await loadChat(deps.db, request.params.id);
    const { items, nextCursor } = await listAttachments(deps.db, request.params.id, request.query);
    return { items: items.map(view), nextCursor };
  });

  app.get<{ Params: { id: string; attId: string } }>('/v1/chats/:id/attachments/:attId', {
    config: chatRoles,
    schema: {
      tags: ['chats'],
      operationId: 'downloadChatAttachment',
      summary: 'Download an attachment',
      response: answers({ 200: { description: 'The file, with its content type.', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } }, 404),
      params: { type: 'object', required: ['id', 'attId'], properties: { id: { type: 'string', maxLength: 100 }, attId: { type: 'string', maxLength: 100 } } },
    },
  }, async (request, reply) => {
    const { attachment, file } = await attachmentFile(deps, request.params.id, request.params.attId);
    return sendFile(reply, attachment, createReadStream(file));
  });
}
