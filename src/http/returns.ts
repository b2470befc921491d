// Returns to clients, the agent's side: create, list, read with the timeline, change,
// close/reopen, resend, history, preview, portal token revoke/rotate. Registers the
// replies, portal and reply-template routes too, so routes.ts needs one line.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { createReturn, loadReturn, readReturn, searchReturns, updateReturnFields, type ReturnInput, type ReturnQuery, type ReturnUpdate } from '../returns/service.js';
import { closeReturn, reopenReturn, resendReturn, returnHistory, revokePortalToken, rotatePortalToken } from '../returns/lifecycle.js';
import { previewPage } from '../returns/portal.js';
import { PAGE_CSP } from '../returns/page.js';
import { returnReplyRoutes } from './returns-replies.js';
import { portalRoutes } from './portal.js';
import { replyTemplateRoutes } from './reply-templates.js';
import { returnIdParam, returnRoles } from './returns-params.js';
import { allow } from './returns-casework.js';
import { redactHistory, redactReturn } from '../casework/redact.js';
import { updatePermissions } from '../casework/forward.js';


const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: ['open', 'awaiting_client', 'awaiting_agent', 'closed'] },
    type: { enum: ['notice', 'question', 'custom'] },
    responsibleUserId: { type: 'string', maxLength: 100 },
    clientEmail: { type: 'string', maxLength: 254 },
    clientCode: { type: 'string', pattern: '^[0-9]{1,6}$' },
    includeArchived: { type: 'boolean', default: false, description: 'Also list returns closed longer ago than RETURNS_RETENTION_DAYS.' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: { type: 'string', maxLength: 200 },
    agentId: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$', description: "The acting agent, whose profile shapes what is shown." },
  },
} as const;

export async function returnRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const tags = ['returns'];
  type Id = { Params: { id: string } };

  app.post<{ Body: ReturnInput }>('/v1/returns', {
    config: returnRoles,
    schema: { tags, summary: 'Open a return to a client; the answer carries the portal token once', body: { $ref: 'ReturnCreate#' } },
  }, async (request, reply) => reply.status(201).send(await createReturn(deps, request.body, actorOf(request))));

  app.get<{ Querystring: ReturnQuery }>('/v1/returns', {
    config: returnRoles,
    schema: { tags, summary: 'List returns, newest first (closed ones past the retention window hidden unless includeArchived)', querystring: listQuery },
  }, async (request) => {
    // Searching by client needs view_client_data: the answer would reveal it.
    const { permissions } = await allow(deps, request, request.query.clientEmail || request.query.clientCode ? ['view_client_data'] : []);
    const found = await searchReturns(deps, request.query);
    return { ...found, items: found.items.map((r) => redactReturn(r, permissions)) };
  });

  app.get<Id & { Querystring: { agentId?: string } }>('/v1/returns/:id', {
    config: returnRoles,
    schema: { tags, summary: 'A return with its whole timeline (client data and private notes only with the permissions for them)', params: returnIdParam },
  }, async (request) => redactReturn(await readReturn(deps, request.params.id), (await allow(deps, request, [])).permissions));

  app.patch<Id & { Body: ReturnUpdate }>('/v1/returns/:id', {
    config: returnRoles,
    schema: { tags, summary: 'Change the responsible user, department, validity or other editable fields', params: returnIdParam, body: { $ref: 'ReturnUpdate#' } },
  }, async (request) => {
    // Reassigning (responsible, department) is forwarding: same permission as /forward.
    const { permissions } = await allow(deps, request, updatePermissions(request.body));
    return redactReturn(await updateReturnFields(deps, request.params.id, request.body, actorOf(request)), permissions);
  });

  app.post<Id>('/v1/returns/:id/close', {
    config: returnRoles,
    schema: { tags, summary: 'Close the return (409 when already closed)', params: returnIdParam },
  }, async (request) => closeReturn(deps, request.params.id, actorOf(request)));

  app.post<Id>('/v1/returns/:id/reopen', {
    config: returnRoles,
    schema: { tags, summary: 'Reopen a closed return (409 otherwise)', params: returnIdParam },
  }, async (request) => reopenReturn(deps, request.params.id, actorOf(request)));

  app.post<Id>('/v1/returns/:id/resend', {
    config: returnRoles,
    schema: { tags, summary: 'Send the return notice to the client again (recorded on the timeline)', params: returnIdParam },
  }, async (request, reply) => reply.status(202).send(await resendReturn(deps, request.params.id, actorOf(request))));

  app.get<Id>('/v1/returns/:id/history', {
    config: returnRoles,
    schema: { tags, summary: 'Who changed what on the return, and when', params: returnIdParam },
  }, async (request) => {
    const [{ items }, row, { permissions }] = await Promise.all([returnHistory(deps, request.params.id), loadReturn(deps, request.params.id), allow(deps, request, [])]);
    return { items: redactHistory(items, { email: row.client_email, contactPerson: row.contact_person }, permissions) };
  });

  app.get<Id>('/v1/returns/:id/preview', {
    config: returnRoles,
    schema: { tags, summary: 'The HTML page the client sees', params: returnIdParam, produces: ['text/html'] },
  }, async (request, reply) => reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .send(await previewPage(deps, request.params.id)));

  app.post<Id>('/v1/returns/:id/portal-token/revoke', {
    config: returnRoles,
    schema: { tags, summary: "Revoke the client's portal link (the portal answers 404 after this)", params: returnIdParam },
  }, async (request) => revokePortalToken(deps, request.params.id, actorOf(request)));

  app.post<Id>('/v1/returns/:id/portal-token/rotate', {
    config: returnRoles,
    schema: { tags, summary: 'Issue a new portal token (shown once); the previous one stops working', params: returnIdParam },
  }, async (request) => rotatePortalToken(deps, request.params.id, actorOf(request)));

  await app.register(returnReplyRoutes, { deps });
  await app.register(portalRoutes, { deps });
  await app.register(replyTemplateRoutes, { deps });
}
