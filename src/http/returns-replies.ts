// What is written on a return's timeline from the agent's side: replies (typed or from a
// template), interactions on other channels, file uploads for them, inbound e-mail replies
// posted by the e-mail gateway, and one timeline entry with its quoted e-mail expanded.

import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { actorOf } from './auth.js';
import { recordInteraction, replyToReturn, type InteractionInput, type ReplyInput } from '../returns/replies.js';
import { openAttachment, saveUploads, UPLOAD_LIMITS, type UploadedFile } from '../returns/attachments.js';
import type { InboundEmail } from '../returns/inbound-email.js';
import { acceptHeldEmail, receiveInboundEmail } from '../returns/inbound-mail.js';
import { answers, itemsOf } from './answers.js';
import { FILE_FIELD, multipartBody } from './openapi.js';
import { readEntry } from '../returns/service.js';
import { returnIdParam, returnRoles } from './returns-params.js';
import { allow } from './returns-casework.js';
import { redactEntry } from '../casework/redact.js';
import { loadReturn } from '../returns/service.js';
import { sendFile } from './file-download.js';

/** What a reply or an interaction wrote: its timeline entry. */
const WRITTEN = { $ref: 'ReturnEntry#' };
/** A file download. */
export const FILE = { description: 'The file, with its content type.', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
const fileParams = { type: 'object', required: ['id', 'fileId'], properties: { id: { type: 'string', maxLength: 100 }, fileId: { type: 'string', maxLength: 100 } } } as const;
const entryParams = { type: 'object', required: ['id', 'entryId'], properties: { id: { type: 'string', maxLength: 100 }, entryId: { type: 'string', maxLength: 30 } } } as const;

export async function returnReplyRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const tags = ['returns'];
  type Id = { Params: { id: string } };
  // Registered in this plugin only: no other return route parses multipart.
  await app.register(multipart, { limits: { ...UPLOAD_LIMITS, fields: 5, fieldSize: 1000, parts: UPLOAD_LIMITS.files + 5 } });

  app.post<Id & { Body: ReplyInput }>('/v1/returns/:id/messages', {
    config: returnRoles,
    schema: { tags, operationId: 'replyToReturn', summary: 'Reply to the client (typed or from a template); awaitReply moves it to awaiting_client', params: returnIdParam, body: { $ref: 'ReturnMessage#' }, response: answers({ 201: WRITTEN }, 404) },
  }, async (request, reply) => {
    await allow(deps, request, request.body.copyThirdParties ? ['invite_third_parties'] : []);
    return reply.status(201).send(await replyToReturn(deps, request.params.id, request.body, actorOf(request)));
  });

  app.post<Id & { Body: InteractionInput }>('/v1/returns/:id/interactions', {
    config: returnRoles,
    schema: { tags, operationId: 'recordReturnInteraction', summary: 'Record a contact on another channel (e-mail, chatbot, phone)', params: returnIdParam, body: { $ref: 'ReturnInteraction#' }, response: answers({ 201: WRITTEN }, 404) },
  }, async (request, reply) => reply.status(201).send(await recordInteraction(deps, request.params.id, request.body, actorOf(request))));

  app.post<Id>('/v1/returns/:id/attachments', {
    config: returnRoles,
    schema: {
      tags,
      summary: `Upload files for a reply or interaction (multipart, at most ${UPLOAD_LIMITS.files} files of ${UPLOAD_LIMITS.fileSize / 1024 / 1024} MB); pass their ids as attachmentIds`,
      operationId: 'uploadReturnAttachments',
      consumes: ['multipart/form-data'],
      params: returnIdParam,
      ...multipartBody({ file: FILE_FIELD }, ['file']),
      response: answers({ 201: itemsOf('ReturnAttachment') }, 404),
    },
  }, async (request, reply) => {
    const items = await saveUploads(deps, request.params.id, request.files() as AsyncIterable<UploadedFile>, actorOf(request));
    return reply.status(201).send({ items });
  });

  app.get<{ Params: { id: string; fileId: string } }>('/v1/returns/:id/attachments/:fileId', {
    config: returnRoles,
    schema: { tags, operationId: 'downloadReturnAttachment', summary: 'Download a file of the return', params: fileParams, response: answers({ 200: FILE }, 404) },
  }, async (request, reply) => {
    const { ref, stream } = await openAttachment(deps, request.params.id, request.params.fileId, false);
    return sendFile(reply, ref, stream);
  });

  app.post<Id & { Body: InboundEmail }>('/v1/returns/:id/inbound-email', {
    config: { roles: ['helpdesk', 'erp'] },
    schema: {
      tags, summary: "An e-mail reply (from the e-mail gateway): the new text is shown, the quoted history collapsed. From the client or an invited third party it is applied; after validUntil it is recorded, not applied, and the sender told; from anyone else it is held (event held) until an agent accepts it",
      params: returnIdParam, body: { $ref: 'ReturnInboundEmail#' },
      response: answers({ 201: { $ref: 'ReturnEntry#' } }, 400, 401, 403, 404),
    },
  }, async (request, reply) => reply.status(201).send(await receiveInboundEmail(deps, request.params.id, request.body, actorOf(request))));

  app.post<{ Params: { id: string; entryId: string }; Body: { agentId?: string } }>('/v1/returns/:id/timeline/:entryId/accept', {
    config: returnRoles,
    preValidation: async (request) => {
      request.body ??= {};
    },
    schema: {
      tags, summary: "Accept a held e-mail (its sender was neither the client nor a third party) as the client's reply: it is applied now (status, ERP opinion)",
      params: entryParams, body: { $ref: 'AgentOnly#' },
      response: answers({ 200: { $ref: 'ReturnEntry#' } }, 400, 401, 403, 404, 409),
    },
  }, async (request) => acceptHeldEmail(deps, request.params.id, request.params.entryId, actorOf(request)));

  app.get<{ Params: { id: string; entryId: string }; Querystring: { expand?: boolean } }>('/v1/returns/:id/timeline/:entryId', {
    config: returnRoles,
    schema: {
      tags,
      operationId: 'getReturnTimelineEntry',
      summary: 'One timeline entry; expand=true shows the quoted e-mail history',
      response: answers({ 200: { $ref: 'ReturnEntry#' } }, 404),
      params: entryParams,
      querystring: { type: 'object', additionalProperties: false, properties: { expand: { type: 'boolean', default: false }, agentId: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' } } },
    },
  }, async (request) => {
    const entry = await readEntry(deps, request.params.id, request.params.entryId, request.query.expand ?? false);
    const row = entry && (await loadReturn(deps, request.params.id));
    // A private note the caller may not see (see_private_notes) is as good as absent.
    const shown = entry && row && redactEntry(entry, { email: row.client_email, contactPerson: row.contact_person }, (await allow(deps, request, [])).permissions);
    if (!shown) throw new NotFoundError('timeline entry', request.params.entryId);
    return shown;
  });
}
