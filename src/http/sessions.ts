// POST /v1/sessions: a finished chat from an external helpdesk, with its integrations.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { ingestSession, type SessionInput } from '../chats/sessions.js';

export async function sessionRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.post<{ Body: SessionInput }>('/v1/sessions', {
    config: { roles: ['helpdesk'] },
    schema: {
      tags: ['sessions'],
      summary: 'Post a finished session; its integrations are queued',
      body: { $ref: 'Session#' },
      response: { 400: { $ref: 'Error#' } },
    },
  }, async (request, reply) => {
    const result = await ingestSession(deps, request.body);
    return reply.status(result.created ? 202 : 200).send({ chatId: result.chatId, created: result.created, integrations: result.integrations });
  });
}
