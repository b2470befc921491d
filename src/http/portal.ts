// The client portal: no API key, a per-return token (`?token=` as in the link sent to the
// client, or the X-Portal-Token header, which keeps it out of access logs). A browser asking
// for HTML gets the same page agents preview; anything else gets JSON.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { authorizePortal, portalAnswer, portalOpenChat, portalPage, portalReturn } from '../returns/portal.js';
import { openAttachment } from '../returns/attachments.js';
import { PAGE_CSP } from '../returns/page.js';
import { sendFile } from './returns-replies.js';
import { returnIdParam } from './returns-params.js';

type Portal = { Params: { id: string }; Querystring: { token?: string } };

const tokenQuery = { type: 'object', properties: { token: { type: 'string', maxLength: 200 } } } as const;
const schema = (summary: string, extra: Record<string, unknown> = {}) => ({ tags: ['portal'], summary, security: [], params: returnIdParam, querystring: tokenQuery, ...extra });

function tokenOf(request: FastifyRequest<{ Querystring: { token?: string } }>): string | undefined {
  const header = request.headers['x-portal-token'];
  return (typeof header === 'string' && header) || request.query.token || undefined;
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.includes('application/json');
}

export async function portalRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get<Portal>('/v1/portal/returns/:id', {
    schema: schema('The return and its client-visible timeline (HTML for browsers); 401 without token, 404 wrong token, 410 expired'),
  }, async (request, reply) => {
    const row = await authorizePortal(deps, request.params.id, tokenOf(request));
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    if (!wantsHtml(request)) return portalReturn(deps, row);
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .send(await portalPage(deps, row));
  });

  app.post<Portal & { Body: { text: string } }>('/v1/portal/returns/:id/answer', {
    schema: schema("The client's answer (plain text); the return goes to awaiting_agent", { body: { $ref: 'PortalAnswer#' } }),
  }, async (request, reply) => {
    const row = await authorizePortal(deps, request.params.id, tokenOf(request));
    return reply.status(201).send(await portalAnswer(deps, row, request.body.text));
  });

  app.post<Portal>('/v1/portal/returns/:id/chat', {
    schema: schema("Open a chat in the return's department (the open one again if there is one)"),
  }, async (request, reply) => {
    const row = await authorizePortal(deps, request.params.id, tokenOf(request));
    const chat = await portalOpenChat(deps, row);
    return reply.status(chat.created ? 201 : 200).send(chat);
  });

  app.get<Portal & { Params: { id: string; fileId: string } }>('/v1/portal/returns/:id/attachments/:fileId', {
    schema: {
      ...schema('Download a file shown on the client-visible timeline'),
      params: { type: 'object', required: ['id', 'fileId'], properties: { id: { type: 'string', maxLength: 100 }, fileId: { type: 'string', maxLength: 100 } } },
    },
  }, async (request, reply) => {
    const row = await authorizePortal(deps, request.params.id, tokenOf(request));
    const { ref, stream } = await openAttachment(deps, row.id, request.params.fileId, true);
    return sendFile(reply, ref, stream);
  });
}
