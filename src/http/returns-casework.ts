// Case work on a return (seed 003): forward/change, situation, linked returns, tasks, clone and
// third parties. Each write checks the caller's profile (and the acting agent's) first.
// Registers the subject, profile and mail routes too, so routes.ts needs one line.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import type { Permission } from '../domain/permissions.js';
import { requirePermissions, type Access } from '../casework/access.js';
import { changeSituation, forwardPermissions, forwardReturn, type ForwardInput } from '../casework/forward.js';
import { linkReturn, listLinks, unlinkReturn } from '../casework/links.js';
import { createTask, listTasks, setTaskDone, type TaskInput } from '../casework/tasks.js';
import { cloneReturn } from '../casework/clone.js';
import { inviteThirdParty, listThirdParties, type ThirdPartyInput } from '../casework/third-parties.js';
import { redactReturn, redactThirdParties } from '../casework/redact.js';
import { returnIdParam, returnRoles } from './returns-params.js';
import { subjectRoutes } from './subjects.js';
import { profileRoutes } from './profiles.js';
import { mailRoutes } from './mail.js';
import { answers, EMPTY, listQuery, pageOf, SHORT_LIST, type ListQuery } from './answers.js';

const RET = { $ref: 'ReturnView#' };

const agentId = { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' } as const;
const agentQuery = { type: 'object', additionalProperties: false, properties: { agentId } } as const;
const agentListQuery = listQuery({ agentId }, SHORT_LIST);
const linkParams = { type: 'object', required: ['id', 'otherId'], properties: { id: { type: 'string', maxLength: 100 }, otherId: { type: 'string', maxLength: 100 } } } as const;
const taskParams = { type: 'object', required: ['id', 'taskId'], properties: { id: { type: 'string', maxLength: 100 }, taskId: { type: 'string', maxLength: 100 } } } as const;

/** The acting agent: checked from X-Agent-Id or the body's agentId on a write, or the query's. */
function agentOf(request: FastifyRequest): string | undefined {
  return request.actingAgentId ?? (request.body as { agentId?: string } | undefined)?.agentId ?? (request.query as { agentId?: string } | undefined)?.agentId;
}

export function callerOf(request: FastifyRequest) {
  return { apiKey: request.apiKey, agentId: agentOf(request) };
}

/** The caller's access once it holds every permission needed (403 PERMISSION_DENIED otherwise). */
export const allow = (deps: Deps, request: FastifyRequest, needed: Permission[]): Promise<Access> => requirePermissions(deps, callerOf(request), needed);

export async function returnCaseworkRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const tags = ['case work'];
  const config = returnRoles;
  type Id = { Params: { id: string } };

  app.post<Id & { Body: ForwardInput }>('/v1/returns/:id/forward', {
    config,
    schema: { tags, operationId: 'forwardReturn', summary: "Forward or change subject, sub-subject, responsible, priority, department, next action, product (400 lists every field the subject requires and lacks)", params: returnIdParam, body: { $ref: 'CaseworkForward#' }, response: answers({ 200: RET }, 404) },
  }, async (request) => {
    const access = await allow(deps, request, forwardPermissions(request.body));
    return redactReturn(await forwardReturn(deps, request.params.id, request.body, access.actor), access.permissions);
  });

  app.post<Id & { Body: { situation: string; agentId?: string } }>('/v1/returns/:id/situation', {
    config,
    schema: { tags, operationId: 'moveReturnSituation', summary: "Move the return to another situation of its subject's workflow (409 names the allowed moves)", params: returnIdParam, body: { $ref: 'CaseworkSituation#' }, response: answers({ 200: RET }, 404) },
  }, async (request) => {
    const access = await allow(deps, request, ['change_situation']);
    return redactReturn(await changeSituation(deps, request.params.id, request.body.situation, access.actor), access.permissions);
  });

  app.post<Id & { Body: { returnId: string; agentId?: string } }>('/v1/returns/:id/links', {
    config,
    schema: { tags, operationId: 'linkReturn', summary: 'Link another active return to this one (both must be active)', params: returnIdParam, body: { $ref: 'CaseworkLink#' }, response: answers({ 201: { $ref: 'CaseworkLinkView#' } }, 404) },
  }, async (request, reply) => {
    const access = await allow(deps, request, ['link_returns']);
    return reply.status(201).send(await linkReturn(deps, request.params.id, request.body.returnId, access.actor));
  });

  app.get<Id & { Querystring: ListQuery }>('/v1/returns/:id/links', {
    config,
    schema: { tags, operationId: 'listReturnLinks', summary: 'The returns linked to this one (links made from either side)', params: returnIdParam, querystring: agentListQuery, response: answers({ 200: pageOf('CaseworkLinkView') }, 404) },
  }, async (request) => listLinks(deps, request.params.id, request.query));

  app.delete<{ Params: { id: string; otherId: string } }>('/v1/returns/:id/links/:otherId', {
    config,
    schema: { tags, operationId: 'unlinkReturn', summary: 'Unlink two active returns', params: linkParams, querystring: agentQuery, response: answers({ 204: EMPTY }, 404) },
  }, async (request, reply) => {
    const access = await allow(deps, request, ['link_returns']);
    await unlinkReturn(deps, request.params.id, request.params.otherId, access.actor);
    return reply.status(204).send();
  });

  app.post<Id & { Body: TaskInput }>('/v1/returns/:id/tasks', {
    config,
    schema: { tags, operationId: 'createReturnTask', summary: 'Create a task (the return needs a sub-subject: 409 TASK_NEEDS_SUB_SUBJECT)', params: returnIdParam, body: { $ref: 'CaseworkTask#' }, response: answers({ 201: { $ref: 'CaseworkTaskView#' } }, 404) },
  }, async (request, reply) => {
    const access = await allow(deps, request, ['create_tasks']);
    return reply.status(201).send(await createTask(deps, request.params.id, request.body, access.actor));
  });

  app.get<Id & { Querystring: ListQuery }>('/v1/returns/:id/tasks', {
    config,
    schema: { tags, operationId: 'listReturnTasks', summary: "The return's tasks", params: returnIdParam, querystring: agentListQuery, response: answers({ 200: pageOf('CaseworkTaskView') }, 404) },
  }, async (request) => listTasks(deps, request.params.id, request.query));

  app.patch<{ Params: { id: string; taskId: string }; Body: { done: boolean; agentId?: string } }>('/v1/returns/:id/tasks/:taskId', {
    config,
    schema: { tags, operationId: 'updateReturnTask', summary: 'Mark a task done (or not done)', params: taskParams, body: { $ref: 'CaseworkTaskUpdate#' }, response: answers({ 200: { $ref: 'CaseworkTaskView#' } }, 404) },
  }, async (request) => {
    const access = await allow(deps, request, ['create_tasks']);
    return setTaskDone(deps, request.params.id, request.params.taskId, request.body.done, access.actor);
  });

  app.post<Id & { Body: { confirm: boolean; agentId?: string } }>('/v1/returns/:id/clone', {
    config,
    schema: { tags, operationId: 'cloneReturn', summary: 'Clone the return (confirm: true): same client, subject, sub-subject and description, linked to this one', params: returnIdParam, body: { $ref: 'CaseworkClone#' }, response: answers({ 201: RET }, 404) },
  }, async (request, reply) => {
    const access = await allow(deps, request, ['clone']);
    if (request.body.confirm !== true) throw ValidationError.field('confirm', 'must be true to clone the return', 'CONFIRMATION_REQUIRED');
    return reply.status(201).send(redactReturn(await cloneReturn(deps, request.params.id, access.actor), access.permissions));
  });

  app.post<Id & { Body: ThirdPartyInput }>('/v1/returns/:id/third-parties', {
    config,
    schema: { tags, operationId: 'inviteThirdParty', summary: 'Invite a third party by e-mail (an invitation is sent; replies with copyThirdParties are copied to them)', params: returnIdParam, body: { $ref: 'CaseworkThirdParty#' }, response: answers({ 201: { $ref: 'CaseworkThirdPartyView#' } }, 404) },
  }, async (request, reply) => {
    const access = await allow(deps, request, ['invite_third_parties']);
    return reply.status(201).send(await inviteThirdParty(deps, request.params.id, request.body, access.actor));
  });

  app.get<Id & { Querystring: ListQuery }>('/v1/returns/:id/third-parties', {
    config,
    schema: { tags, operationId: 'listThirdParties', summary: 'The third parties invited to the return (names and e-mails only with view_client_data)', params: returnIdParam, querystring: agentListQuery, response: answers({ 200: pageOf('CaseworkThirdPartyView') }, 404) },
  }, async (request) => {
    const [{ items, nextCursor }, { permissions }] = await Promise.all([listThirdParties(deps, request.params.id, request.query), allow(deps, request, [])]);
    return { items: redactThirdParties(items, permissions), nextCursor };
  });
}


/** Everything of case work, registered with one line in routes.ts. */
export async function caseworkRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  await app.register(returnCaseworkRoutes, { deps });
  await app.register(subjectRoutes, { deps });
  await app.register(profileRoutes, { deps });
  await app.register(mailRoutes, { deps });
}
