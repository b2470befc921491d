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
import { receiveInboundEmail, type InboundEmail } from '../returns/inbound-email.js';
import { readEntry } from '../returns/service.js';
import { returnIdParam, returnRoles } from './returns-params.js';
import { allow } from './returns-casework.js';
import { redactEntry } from '../casework/redact.js';
import { loadReturn } from '../returns/service.js';

const fileParams = { type: 'object', required: ['id', 'fileId'], properties: { id: { type: 'string', maxLength: 100 }, fileId: { type: 'string', maxLength: 100 } } } as const;
const entryParams = { type: 'object', required: ['id', 'entryId'], properties: { id: { type: 'string', maxLength: 100 }, entryId: { type: 'string', maxLength: 30 } } } as const;

export async function returnReplyRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const tags = ['returns'];
  type Id = { Params: { id: string } };
  // Registered in this plugin only: no other return route parses multipart.
  await app.register(multipart, { limits: { ...UPLOAD_LIMITS, fields: 5, fieldSize: 1000, parts: UPLOAD_LIMITS.files + 5 } });

  app.post<Id & { Body: ReplyInput }>('/v1/returns/:id/messages', {
    config: returnRoles,
    schema: { tags, summary: 'Reply to the client (typed or from a template); awaitReply moves it to awaiting_client', params: returnIdParam, body: { $ref: 'ReturnMessage#' } },
  }, async (request, reply) => {
    await allow(deps, request, request.body.copyThirdParties ? ['invite_third_parties'] : []);
    return reply.status(201).send(await replyToReturn(deps, request.params.id, request.body, actorOf(request)));
  });

  app.post<Id & { Body: InteractionInput }>('/v1/returns/:id/interactions', {
    config: returnRoles,
    schema: { tags, summary: 'Record a contact on another channel (e-mail, chatbot, phone)', params: returnIdParam, body: { $ref: 'ReturnInteraction#' } },
  }, async (request, reply) => reply.status(201).send(await recordInteraction(deps, request.params.id, request.body, actorOf(request))));

  app.post<Id>('/v1/returns/:id/attachments', {
    config: returnRoles,
    schema: {
      tags,
      summary: `Upload files for a reply or interaction (multipart, at most ${UPLOAD_LIMITS.files} files of ${UPLOAD_LIMITS.fileSize / 1024 / 1024} MB); pass their ids as attachmentIds`,
      consumes: ['multipart/form-data'],
      params: returnIdParam,
    },
  }, async (request, reply) => {
    const items = await saveUploads(deps, request.params.id, request.files() as AsyncIterable<UploadedFile>, actorOf(request));
    return reply.status(201).send({ items });
  });

  app.get<{ Params: { id: string; fileId: string } }>('/v1/returns/:id/attachments/:fileId', {
    config: returnRoles,
    schema: { tags, summary: 'Download a file of the return', params: fileParams },
  }, async (request, reply) => {
    const { ref, stream } = await openAttachment(deps, request.params.id, request.params.fileId, false);
    return sendFile(reply, ref, stream);
  });

  app.post<Id & { Body: InboundEmail }>('/v1/returns/:id/inbound-email', {
    config: { roles: ['helpdesk', 'erp'] },
    schema: { tags, summary: "A client's e-mail reply (from the e-mail gateway): the new text is shown, the quoted history collapsed", params: returnIdParam, body: { $ref: 'ReturnInboundEmail#' } },
  }, async (request, reply) => reply.status(201).send(await receiveInboundEmail(deps, request.params.id, request.body, actorOf(request))));

  app.get<{ Params: { id: string; entryId: string }; Querystring: { expand?: boolean } }>('/v1/returns/:id/timeline/:entryId', {
    config: returnRoles,
    schema: {
      tags,
      summary: 'One timeline entry; expand=true shows the quoted e-mail history',
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

/** Files are always downloads, never rendered inline: an uploaded HTML file cannot run here. */
export function sendFile(reply: import('fastify').FastifyReply, ref: { filename: string; contentType: string; size: number }, stream: NodeJS.ReadableStream) {
  const ascii = ref.filename.replace(/[^\x20-\x7e]/g, '_');
  return reply
    .header('content-type', ref.contentType)
    .header('content-length', ref.size)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(ref.filename)}`)
    .header('x-content-type-options', 'nosniff')
    .send(stream);
}
