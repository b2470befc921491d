// Integrations of a chat: request one, list them, read one, and the integration form.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { integrationForm, requestIntegration } from '../integration/service.js';
import type { IntegrationRequest } from '../domain/integration-request.js';
import { getIntegration, listAttempts, listChatIntegrations, toView } from '../store/integrations.js';
import { getChat } from '../store/chats.js';
import { NotFoundError } from '../errors.js';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;

export async function integrationRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const roles = { roles: ['helpdesk', 'admin'] as Array<'helpdesk' | 'admin'> };

  app.post<{ Params: { id: string }; Body: IntegrationRequest }>('/v1/chats/:id/integrations', {
    config: roles,
    schema: { tags: ['integrations'], summary: 'Integrate a closed chat into the ERP', params: idParam, body: { $ref: 'IntegrationRequest#' } },
  }, async (request, reply) => {
    const view = await requestIntegration(deps, request.params.id, request.body);
    return reply.status(202).send({ id: view.id, status: view.status });
  });

  app.get<{ Params: { id: string } }>('/v1/chats/:id/integrations', {
    config: roles,
    schema: { tags: ['integrations'], summary: "A chat's integrations", params: idParam },
  }, async (request) => {
    if (!(await getChat(deps.db, request.params.id))) throw new NotFoundError('chat', request.params.id);
    return { items: (await listChatIntegrations(deps.db, request.params.id)).map(toView) };
  });

  app.get<{ Params: { id: string } }>('/v1/integrations/:id', {
    config: roles,
    schema: { tags: ['integrations'], summary: 'One integration with its attempts', params: idParam },
  }, async (request) => {
    const row = await getIntegration(deps.db, request.params.id);
    if (!row) throw new NotFoundError('integration', request.params.id);
    return { ...toView(row), attemptsLog: (await listAttempts(deps.db, row.id)).map(({ exchanges: _x, ...a }) => a) };
  });

  app.get<{ Params: { id: string } }>('/v1/chats/:id/integration-form', {
    config: roles,
    schema: { tags: ['integrations'], summary: 'Prefill and option lists of the integration screen', params: idParam },
  }, async (request) => integrationForm(deps, request.params.id));
}
