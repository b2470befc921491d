// GET /v1/chats/:id/events: the chat's live events as Server-Sent Events.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { loadChat } from '../chats/chat-change.js';
import { ChatEventStream } from '../chats/event-stream.js';
import { chatIdParam, chatRoles } from './chats-params.js';

export async function chatEventRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const open = new Set<ChatEventStream>();
  // Streams never end by themselves: end them, or closing the server would wait forever.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.close();
  });

  app.get<{ Params: { id: string } }>('/v1/chats/:id/events', {
    config: chatRoles,
    schema: { tags: ['chats'], summary: 'Live events (SSE): message, queue, transfer, close-invite, closed, and other features\' events', params: chatIdParam },
  }, async (request, reply) => {
    await loadChat(deps.db, request.params.id);
    reply.hijack();
    const stream = new ChatEventStream(reply.raw);
    open.add(stream);
    // The response's close (not the request's: that fires once a body is read) means the client left.
    reply.raw.on('close', () => {
      stream.close();
      open.delete(stream);
    });
    await stream.open(deps, request.params.id).catch((err) => {
      request.log.warn({ err }, 'SSE stream failed to open');
      stream.close();
    });
  });
}
