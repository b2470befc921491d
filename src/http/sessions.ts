// POST /v1/sessions: a finished chat from an external helpdesk, with its integrations.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { ingestSession, type SessionInput } from '../chats/sessions.js';
import { answers } from './answers.js';

export async function sessionRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.post<{ Body: SessionInput }>('/v1/sessions', {
    config: { roles: ['helpdesk'] },
    schema: {
      tags: ['sessions'],
      operationId: 'postSession',
      summary: 'Post a finished session; its integrations are queued (202), or the chat already written for this externalId (200)',
      body: { $ref: 'Session#' },
      description: 'The same externalId again answers 200 with the chat already written. An externalId whose chat retention or a data-subject erasure removed is 409 `SESSION_FORGOTTEN`: nothing is written again.',
      response: answers({ 200: { $ref: 'SessionAccepted#' }, 202: { $ref: 'SessionAccepted#' } }, 409, 502, 503),
    },
  }, async (request, reply) => {
    const result = await ingestSession(deps, request.body);
    return reply.status(result.created ? 202 : 200).send({ chatId: result.chatId, created: result.created, integrations: result.integrations });
  });
}
