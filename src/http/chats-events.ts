// GET /v1/chats/:id/events: the chat's live events as Server-Sent Events; private notes only
// for callers with see_private_notes (the key's profile and the `agentId` named in the query),
// the client's identity only with view_client_data.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { loadChat, chatTopic } from '../chats/chat-change.js';
import { LiveStream, type StreamOptions } from '../chats/event-stream.js';
import { seesPrivateNotes, withoutPrivateNotes } from '../chats/privacy.js';
import { chatIdParam, chatRoles, agentQuery } from './chats-params.js';
import { recordRead } from '../data-subjects/access-log.js';
import { answers, SSE_ANSWER } from './answers.js';
import { eventsFor } from './client-data.js';

/** Serves one SSE stream on the raw response; streams still open end with the server. */
export function serveStream(app: FastifyInstance, deps: Deps) {
  const open = new Set<LiveStream>();
  // Streams never end by themselves: end them, or closing the server would wait forever.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.close();
  });
  return async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply, options: StreamOptions) => {
    reply.hijack();
    const stream = new LiveStream(reply.raw);
    open.add(stream);
    // The response's close (not the request's: that fires once a body is read) means the client left.
    reply.raw.on('close', () => {
      stream.close();
      open.delete(stream);
    });
    await stream.open(deps, options).catch((err) => {
      request.log.warn({ err }, 'SSE stream failed to open');
      stream.close();
    });
  };
}

export async function chatEventRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const stream = serveStream(app, deps);

  app.get<{ Params: { id: string }; Querystring: { agentId?: string } }>('/v1/chats/:id/events', {
    config: chatRoles,
    schema: {
      tags: ['chats'],
      summary: "Live events (SSE): message, queue, transfer, close-invite, closed, and other features' events; private notes only with see_private_notes, the client's identity only with view_client_data",
      operationId: 'streamChatEvents',
      params: chatIdParam,
      querystring: agentQuery,
      produces: ['text/event-stream'],
      response: answers({ 200: SSE_ANSWER }, 404),
    },
  }, async (request, reply) => {
    const chat = await loadChat(deps.db, request.params.id);
    // A stream answers on the raw response (no onSend): its read is recorded before it opens.
    await recordRead(deps, request);
    const privateToo = await seesPrivateNotes(deps, { apiKey: request.apiKey, agentId: request.actingAgentId ?? request.query.agentId });
    await stream(request, reply, {
      topics: [chatTopic(request.params.id)],
      greeting: `connected to chat ${request.params.id}`,
      base: { chatId: request.params.id },
      filter: await eventsFor(deps, request, privateToo ? undefined : withoutPrivateNotes, { client: chat.client, email: chat.client_email, code: chat.client_code }),
    });
  });
}
