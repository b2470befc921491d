// Integrations of a chat: request one, list them, read one, and the integration form.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { integrationForm, requestIntegration } from '../integration/service.js';
import type { IntegrationRequest } from '../domain/integration-request.js';
import { chatIntegrationPage, getIntegration, listAttempts, toView } from '../store/integrations.js';
import { getChat } from '../store/chats.js';
import { NotFoundError } from '../errors.js';
import { answers, listQuery, pageOf, SHORT_LIST, type ListQuery } from './answers.js';
import { hideClientDataWithoutPermission } from './client-data.js';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;

export async function integrationRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const roles = { roles: ['helpdesk', 'admin'] as Array<'helpdesk' | 'admin'> };
  hideClientDataWithoutPermission(app, deps);

  app.post<{ Params: { id: string }; Body: IntegrationRequest }>('/v1/chats/:id/integrations', {
    config: roles,
    schema: {
      tags: ['integrations'], operationId: 'requestIntegration', summary: 'Integrate a closed chat into the ERP (checked now, written by a job)',
      params: idParam, body: { $ref: 'IntegrationRequest#' }, response: answers({ 202: { $ref: 'IntegrationQueued#' } }, 404, 502, 503),
    },
  }, async (request, reply) => {
    const view = await requestIntegration(deps, request.params.id, request.body);
    return reply.status(202).send({ id: view.id, status: view.status });
  });

  app.get<{ Params: { id: string }; Querystring: ListQuery }>('/v1/chats/:id/integrations', {
    config: roles,
    schema: { tags: ['integrations'], operationId: 'listChatIntegrations', summary: "A chat's integrations, oldest first", params: idParam, querystring: listQuery({}, SHORT_LIST), response: answers({ 200: pageOf('IntegrationView') }, 404) },
  }, async (request) => {
    if (!(await getChat(deps.db, request.params.id))) throw new NotFoundError('chat', request.params.id);
    const { rows, nextCursor } = await chatIntegrationPage(deps.db, request.params.id, request.query);
    return { items: rows.map(toView), nextCursor };
  });

  app.get<{ Params: { id: string } }>('/v1/integrations/:id', {
    config: roles,
    schema: { tags: ['integrations'], operationId: 'getIntegration', summary: 'One integration with its attempts', params: idParam, response: answers({ 200: { $ref: 'IntegrationDetail#' } }, 404) },
  }, async (request) => {
    const row = await getIntegration(deps.db, request.params.id);
    if (!row) throw new NotFoundError('integration', request.params.id);
    return { ...toView(row), attemptsLog: (await listAttempts(deps.db, row.id)).map(({ exchanges: _x, ...a }) => a) };
  });

  app.get<{ Params: { id: string }; Querystring: { processNumber?: string } }>('/v1/chats/:id/integration-form', {
    config: roles,
    schema: {
      tags: ['integrations'],
      operationId: 'getIntegrationForm',
      summary: 'Prefill and option lists of the integration screen; with processNumber, that ERP process and the next contact it fills in',
      params: idParam,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { processNumber: { type: 'string', pattern: '^[0-9]{1,8}$', description: 'An existing ERP process to link the chat to.' } },
      },
      response: { 200: { $ref: 'IntegrationForm#' }, 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 404: { $ref: 'Error#' } },
    },
  }, async (request) => integrationForm(deps, request.params.id, request.query));
}
