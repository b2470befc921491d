// Standard reply templates (seed 003 "Respostas Padrão"): create, list, read, replace, delete.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { createTemplate, deleteTemplate, listTemplates, readTemplate, replaceTemplate, type TemplateInput } from '../returns/templates.js';
import { returnIdParam as idParam, returnRoles } from './returns-params.js';
import { answers, EMPTY, listQuery, pageOf, SHORT_LIST, type ListQuery } from './answers.js';

const template = { $ref: 'ReplyTemplateView#' };

export async function replyTemplateRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const tags = ['reply templates'];
  type Id = { Params: { id: string } };

  app.post<{ Body: TemplateInput }>('/v1/reply-templates', {
    config: returnRoles,
    schema: { tags, operationId: 'createReplyTemplate', summary: 'Create a standard reply', body: { $ref: 'ReplyTemplate#' }, response: answers({ 201: template }) },
  }, async (request, reply) => reply.status(201).send(await createTemplate(deps, request.body, actorOf(request))));

  app.get<{ Querystring: ListQuery }>('/v1/reply-templates', {
    config: returnRoles,
    schema: { tags, operationId: 'listReplyTemplates', summary: 'Standard replies by name', querystring: listQuery({}, SHORT_LIST), response: answers({ 200: pageOf('ReplyTemplateView') }) },
  }, async (request) => listTemplates(deps, request.query));

  app.get<Id>('/v1/reply-templates/:id', {
    config: returnRoles,
    schema: { tags, operationId: 'getReplyTemplate', summary: 'One standard reply', params: idParam, response: answers({ 200: template }, 404) },
  }, async (request) => readTemplate(deps, request.params.id));

  app.put<Id & { Body: TemplateInput }>('/v1/reply-templates/:id', {
    config: returnRoles,
    schema: { tags, operationId: 'replaceReplyTemplate', summary: 'Replace a standard reply (replies already sent keep their text)', params: idParam, body: { $ref: 'ReplyTemplate#' }, response: answers({ 200: template }, 404) },
  }, async (request) => replaceTemplate(deps, request.params.id, request.body, actorOf(request)));

  app.delete<Id>('/v1/reply-templates/:id', {
    config: returnRoles,
    schema: { tags, operationId: 'deleteReplyTemplate', summary: 'Delete a standard reply', params: idParam, response: answers({ 204: EMPTY }, 404) },
  }, async (request, reply) => {
    await deleteTemplate(deps, request.params.id, actorOf(request));
    return reply.status(204).send();
  });
}
