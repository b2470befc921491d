// Returns to clients, the agent's side: create, list, read with the timeline, change,
// close/reopen, resend, history, preview, portal token revoke/rotate. Registers the
// replies, portal and reply-template routes too, so routes.ts needs one line.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { createReturn, loadReturn, readReturn, searchReturns, updateReturnFields, type ReturnInput, type ReturnQuery, type ReturnUpdate } from '../returns/service.js';
import { closeReturn, reopenReturn, resendReturn, returnHistory, revokePortalToken, rotatePortalToken } from '../returns/lifecycle.js';
import { previewDraft, previewPage } from '../returns/portal.js';
import { PAGE_CSP } from '../returns/page.js';
import { returnReplyRoutes } from './returns-replies.js';
import { portalRoutes } from './portal.js';
import { replyTemplateRoutes } from './reply-templates.js';
import { returnIdParam, returnRoles } from './returns-params.js';
import { answers, CURSOR, LIMIT, listQuery, pageOf, SHORT_LIST, type ListQuery } from './answers.js';

const ret = { $ref: 'ReturnView#' };
const HTML = { description: 'The page (text/html).', content: { 'text/html': { schema: { type: 'string' } } } };
import { allow } from './returns-casework.js';
import { redactHistory, redactReturn } from '../casework/redact.js';
import { updatePermissions } from '../casework/forward.js';


const returnQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: ['open', 'awaiting_client', 'awaiting_agent', 'closed'] },
    type: { enum: ['notice', 'question', 'custom'] },
    responsibleUserId: { type: 'string', maxLength: 100 },
    clientEmail: { type: 'string', maxLength: 254 },
    clientCode: { type: 'string', pattern: '^[0-9]{1,6}$' },
    nextActionBefore: { type: 'string', format: 'date-time', description: 'Only returns whose next action comes before this instant (with responsibleUserId: an agent\'s to-do list).' },
    includeArchived: { type: 'boolean', default: false, description: 'Also list returns closed longer ago than RETURNS_RETENTION_DAYS.' },
    limit: LIMIT,
    cursor: CURSOR,
    agentId: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$', description: "The acting agent, whose profile shapes what is shown." },
  },
} as const;

export async function returnRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const tags = ['returns'];
  type Id = { Params: { id: string } };

  app.post<{ Body: ReturnInput }>('/v1/returns', {
    config: returnRoles,
    schema: { tags, operationId: 'createReturn', summary: 'Open a return to a client; the answer carries the portal token once', body: { $ref: 'ReturnCreate#' }, response: answers({ 201: ret }, 404) },
  }, async (request, reply) => {
    const { permissions } = await allow(deps, request, []);
    return reply.status(201).send(redactReturn(await createReturn(deps, request.body, actorOf(request)), permissions));
  });

  app.post<{ Body: ReturnInput }>('/v1/returns/preview', {
    config: { ...returnRoles, readOnly: true },
    schema: {
      tags, operationId: 'previewReturnDraft', summary: "A draft's page as the client would see it, before saving (seed 000 \"Visualizar\"); nothing is written",
      body: { $ref: 'ReturnCreate#' }, produces: ['text/html'],
      response: answers({ 200: HTML }, 400, 401, 403),
    },
  }, async (request, reply) => reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .send(previewDraft(deps, request.body)));

  app.get<{ Querystring: ReturnQuery }>('/v1/returns', {
    config: returnRoles,
    schema: { tags, operationId: 'listReturns', summary: 'List returns, newest first (closed ones past the retention window hidden unless includeArchived)', querystring: returnQuery, response: answers({ 200: pageOf('ReturnView') }) },
  }, async (request) => {
    // Searching by client needs view_client_data: the answer would reveal it.
    const { permissions } = await allow(deps, request, request.query.clientEmail || request.query.clientCode ? ['view_client_data'] : []);
    const found = await searchReturns(deps, request.query);
    return { ...found, items: found.items.map((r) => redactReturn(r, permissions)) };
  });

  app.get<Id & { Querystring: { agentId?: string } }>('/v1/returns/:id', {
    config: returnRoles,
    schema: { tags, operationId: 'getReturn', summary: 'A return with its whole timeline (client data and private notes only with the permissions for them)', params: returnIdParam, response: answers({ 200: ret }, 404) },
  }, async (request) => redactReturn(await readReturn(deps, request.params.id), (await allow(deps, request, [])).permissions));

  app.patch<Id & { Body: ReturnUpdate }>('/v1/returns/:id', {
    config: returnRoles,
    schema: { tags, operationId: 'updateReturn', summary: 'Change the responsible user, department, validity or other editable fields', params: returnIdParam, body: { $ref: 'ReturnUpdate#' }, response: answers({ 200: ret }, 404) },
  }, async (request) => {
    // Reassigning (responsible, department) is forwarding: same permission as /forward.
    const { permissions } = await allow(deps, request, updatePermissions(request.body));
    return redactReturn(await updateReturnFields(deps, request.params.id, request.body, actorOf(request)), permissions);
  });

  app.post<Id>('/v1/returns/:id/close', {
    config: returnRoles,
    schema: { tags, operationId: 'closeReturn', summary: 'Close the return (409 when already closed)', params: returnIdParam, response: answers({ 200: ret }, 404) },
  }, async (request) => redactReturn(await closeReturn(deps, request.params.id, actorOf(request)), (await allow(deps, request, [])).permissions));

  app.post<Id>('/v1/returns/:id/reopen', {
    config: returnRoles,
    schema: { tags, operationId: 'reopenReturn', summary: 'Reopen a closed return (409 otherwise)', params: returnIdParam, response: answers({ 200: ret }, 404) },
  }, async (request) => redactReturn(await reopenReturn(deps, request.params.id, actorOf(request)), (await allow(deps, request, [])).permissions));

  app.post<Id & { Body: { validUntil?: string } }>('/v1/returns/:id/resend', {
    config: returnRoles,
    // The body is optional: none means "resend as it is".
    preValidation: async (request) => {
      request.body ??= {};
    },
    schema: {
      tags, operationId: 'resendReturn', summary: 'Send the return notice to the client again (recorded on the timeline); an expired return needs a new validUntil (409 RETURN_EXPIRED otherwise); a new portal link, so it needs view_client_data',
      params: returnIdParam, body: { $ref: 'ReturnResend#' },
      response: answers({ 202: { type: 'object', additionalProperties: true, properties: { returnId: { type: 'string' }, entryId: { type: 'string' }, resentAt: { type: 'string' } } } }, 400, 401, 403, 404, 409),
    },
  }, async (request, reply) => {
    await allow(deps, request, ['view_client_data']);
    return reply.status(202).send(await resendReturn(deps, request.params.id, actorOf(request), { validUntil: request.body.validUntil }));
  });

  app.get<Id & { Querystring: ListQuery }>('/v1/returns/:id/history', {
    config: returnRoles,
    schema: { tags, operationId: 'getReturnHistory', summary: 'Who changed what on the return, and when (oldest change first)', params: returnIdParam, querystring: listQuery({}, SHORT_LIST), response: answers({ 200: pageOf('ReturnHistoryEntry') }, 404) },
  }, async (request) => {
    const [{ items, nextCursor }, row, { permissions }] = await Promise.all([returnHistory(deps, request.params.id, request.query), loadReturn(deps, request.params.id), allow(deps, request, [])]);
    return { items: redactHistory(items, { email: row.client_email, contactPerson: row.contact_person }, permissions), nextCursor };
  });

  app.get<Id>('/v1/returns/:id/preview', {
    config: returnRoles,
    schema: { tags, operationId: 'previewReturn', summary: 'The HTML page the client sees (needs view_client_data)', params: returnIdParam, produces: ['text/html'], response: answers({ 200: HTML }, 404) },
  }, async (request, reply) => {
    await allow(deps, request, ['view_client_data']);
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .send(await previewPage(deps, request.params.id));
  });

  app.post<Id>('/v1/returns/:id/portal-token/revoke', {
    config: returnRoles,
    schema: { tags, operationId: 'revokePortalToken', summary: "Revoke the client's portal link (the portal answers 404 after this)", params: returnIdParam, response: answers({ 200: ret }, 404) },
  }, async (request) => redactReturn(await revokePortalToken(deps, request.params.id, actorOf(request)), (await allow(deps, request, [])).permissions));

  app.post<Id>('/v1/returns/:id/portal-token/rotate', {
    config: returnRoles,
    schema: { tags, operationId: 'rotatePortalToken', summary: 'Issue a new portal token (shown once; needs view_client_data); the previous one stops working', params: returnIdParam, response: answers({ 200: ret }, 404) },
  }, async (request) => {
    await allow(deps, request, ['view_client_data']);
    return rotatePortalToken(deps, request.params.id, actorOf(request));
  });

  await app.register(returnReplyRoutes, { deps });
  await app.register(portalRoutes, { deps });
  await app.register(replyTemplateRoutes, { deps });
}
