// Standard reply templates (seed 003 "Respostas Padrão"): create, list, read, replace, delete.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { createTemplate, deleteTemplate, listTemplates, readTemplate, replaceTemplate, type TemplateInput } from '../returns/templates.js';
import { returnIdParam as idParam, returnRoles } from './returns-params.js';

export async function replyTemplateRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const tags = ['reply templates'];
  type Id = { Params: { id: string } };

  app.post<{ Body: TemplateInput }>('/v1/reply-templates', {
    config: returnRoles,
    schema: { tags, summary: 'Create a standard reply', body: { $ref: 'ReplyTemplate#' } },
  }, async (request, reply) => reply.status(201).send(await createTemplate(deps, request.body, actorOf(request))));

  app.get('/v1/reply-templates', {
    config: returnRoles,
    schema: { tags, summary: 'Every standard reply, by name' },
  }, async () => listTemplates(deps));

  app.get<Id>('/v1/reply-templates/:id', {
    config: returnRoles,
    schema: { tags, summary: 'One standard reply', params: idParam },
  }, async (request) => readTemplate(deps, request.params.id));

  app.put<Id & { Body: TemplateInput }>('/v1/reply-templates/:id', {
    config: returnRoles,
    schema: { tags, summary: 'Replace a standard reply (replies already sent keep their text)', params: idParam, body: { $ref: 'ReplyTemplate#' } },
  }, async (request) => replaceTemplate(deps, request.params.id, request.body, actorOf(request)));

  app.delete<Id>('/v1/reply-templates/:id', {
    config: returnRoles,
    schema: { tags, summary: 'Delete a standard reply', params: idParam },
  }, async (request, reply) => {
    await deleteTemplate(deps, request.params.id, actorOf(request));
    return reply.status(204).send();
  });
}
