// The client portal: no API key, a per-return token (`?token=` as in the link sent to the
// client, or the X-Portal-Token header, which keeps it out of access logs). A browser asking
// for HTML gets the same page agents preview; anything else gets JSON.
// Every route of this plugin is authorized by the token before its body is read (onRequest):
// handlers find the return in `request.portalReturn`, and idempotency is scoped to the token.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ReturnRow } from '../returns/store.js';
import type { Deps } from '../deps.js';
import { authorizePortal, portalAnswer, portalPage, portalReturn } from '../returns/portal.js';
import { portalChat, portalChatMessage, portalOpenChat } from '../returns/portal-chat.js';
import { answers } from './answers.js';
import { openAttachment } from '../returns/attachments.js';
import { authorizeFileDownload } from '../returns/file-links.js';
import { PAGE_CSP } from '../returns/page.js';
import { FILE } from './returns-replies.js';
import { sendFile } from './file-download.js';
import { returnIdParam } from './returns-params.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The return the portal token opened (portal routes only). */
    portalReturn?: ReturnRow;
  }
}

type Portal = { Params: { id: string }; Querystring: { token?: string } };

const tokenQuery = { type: 'object', properties: { token: { type: 'string', maxLength: 200 } } } as const;
/** The portal's token, in the X-Portal-Token header or as ?token= (the link sent to the client). */
const PORTAL_SECURITY: Array<Record<string, string[]>> = [{ portalToken: [] }, { portalTokenQuery: [] }];
const schema = (summary: string, extra: Record<string, unknown> = {}) => ({ tags: ['portal'], summary, security: PORTAL_SECURITY, params: returnIdParam, querystring: tokenQuery, ...extra });

/** The token as sent; anything but one string of sensible length is no token. */
function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-portal-token'];
  const query = (request.query as { token?: unknown }).token;
  const token = (typeof header === 'string' && header) || (typeof query === 'string' && query) || undefined;
  return token && token.length <= 200 ? token : undefined;
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.includes('application/json');
}

export async function portalRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.addHook('onRequest', async (request) => {
    const { id = '', fileId } = request.params as { id?: string; fileId?: string };
    // A file link from a reply e-mail carries that file's own token instead of the portal's.
    const row = fileId === undefined
      ? await authorizePortal(deps, String(id), tokenOf(request))
      : await authorizeFileDownload(deps, String(id), String(fileId), tokenOf(request));
    request.portalReturn = row;
    request.idempotencyScope = `portal:${row.id}:${row.portal_token_hash}`;
  });

  app.get<Portal>('/v1/portal/returns/:id', {
    schema: schema('The return and its client-visible timeline (HTML for browsers); 401 without token, 404 wrong token, 410 expired', {
      operationId: 'getPortalReturn',
      response: answers({ 200: { content: { 'application/json': { schema: { $ref: 'PortalReturnView#' } }, 'text/html': { schema: { type: 'string' } } } } }, 401, 404, 410),
    }),
  }, async (request, reply) => {
    const row = request.portalReturn!;
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    if (!wantsHtml(request)) return portalReturn(deps, row);
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .send(await portalPage(deps, row));
  });

  app.post<Portal & { Body: { text: string } }>('/v1/portal/returns/:id/answer', {
    schema: schema("The client's answer (plain text); the return goes to awaiting_agent", {
      operationId: 'answerPortalReturn', body: { $ref: 'PortalAnswer#' },
      response: answers({ 201: { $ref: 'PortalAnswerRecorded#' } }, 401, 404, 410),
    }),
  }, async (request, reply) => {
    const row = request.portalReturn!;
    return reply.status(201).send(await portalAnswer(deps, row, request.body.text));
  });

  const opened = { type: 'object', required: ['chatId', 'departmentId', 'created'], additionalProperties: false, properties: { chatId: { type: 'string' }, departmentId: { type: 'string' }, created: { type: 'boolean' } } };
  app.post<Portal>('/v1/portal/returns/:id/chat', {
    schema: schema("Open a chat in the return's department (its linked chat's, else PORTAL_CHAT_DEPARTMENT); the open one again if there is one", {
      response: answers({ 200: opened, 201: opened }, 401, 404, 409, 410),
    }),
  }, async (request, reply) => {
    const row = request.portalReturn!;
    const chat = await portalOpenChat(deps, row);
    return reply.status(chat.created ? 201 : 200).send(chat);
  });

  app.get<Portal>('/v1/portal/returns/:id/chat', {
    schema: schema('The chat opened from this return: its status and the messages the client sees (404 NO_PORTAL_CHAT before one is opened)', {
      response: answers({ 200: { $ref: 'PortalChat#' } }, 401, 404, 410),
    }),
  }, async (request) => portalChat(deps, await authorizePortal(deps, request.params.id, tokenOf(request))));

  const written = { type: 'object', additionalProperties: false, required: ['id', 'chatId', 'at', 'from', 'authorName', 'text'], properties: { id: { type: 'string' }, chatId: { type: 'string' }, at: { type: 'string' }, from: { type: 'string' }, authorName: { type: ['string', 'null'] }, text: { type: 'string' } } };
  app.post<Portal & { Body: { text: string } }>('/v1/portal/returns/:id/chat/messages', {
    schema: schema('The client writes in the chat opened from this return (409 once it is closed)', {
      body: { $ref: 'PortalChatMessage#' },
      response: answers({ 201: written }, 400, 401, 404, 409, 410),
    }),
  }, async (request, reply) => {
    const row = await authorizePortal(deps, request.params.id, tokenOf(request));
    return reply.status(201).send(await portalChatMessage(deps, row, request.body.text));
  });

  app.get<Portal & { Params: { id: string; fileId: string } }>('/v1/portal/returns/:id/attachments/:fileId', {
    schema: {
      ...schema("Download a file shown on the client-visible timeline (the portal token, or the file's own token from a reply e-mail)", {
        operationId: 'downloadPortalAttachment', response: answers({ 200: FILE }, 401, 404, 410),
      }),
      params: { type: 'object', required: ['id', 'fileId'], properties: { id: { type: 'string', maxLength: 100 }, fileId: { type: 'string', maxLength: 100 } } },
    },
  }, async (request, reply) => {
    const row = request.portalReturn!;
    const { ref, stream } = await openAttachment(deps, row.id, request.params.fileId, true);
    return sendFile(reply, ref, stream);
  });
}
