// The core chat API (seed 001, the agent's chat screen): start, read, list, messages, notes,
// advance opinion, rating, transcript and the client details panel. Moves, files and live
// events are in the chats-* plugins registered here, with agents and departments.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { startChat, type ChatStartInput } from '../chats/start.js';
import { postMessage, postNote, type MessageInput } from '../chats/messages.js';
import { rateChat, writeAdvanceOpinion } from '../chats/annotations.js';
import { chatTranscript } from '../chats/transcript.js';
import { chatDetails } from '../chats/details.js';
import { loadChat } from '../chats/chat-change.js';
import { toChatView } from '../chats/view.js';
import { CHAT_STATUSES } from '../domain/chat-state.js';
import { normalizeClientCode } from '../domain/integration-request.js';
import { listChats, type ChatFilter } from '../store/chat-records.js';
import { chatMessages } from '../store/chat-messages.js';
import { chatIdParam, chatRoles } from './chats-params.js';
import { chatMoveRoutes } from './chats-moves.js';
import { chatFileRoutes } from './chats-files.js';
import { chatEventRoutes } from './chats-events.js';
import { agentRoutes } from './agents.js';
import { departmentRoutes } from './departments.js';


const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: [...CHAT_STATUSES] },
    departmentId: { type: 'string', maxLength: 100 },
    agentId: { type: 'string', maxLength: 100 },
    clientEmail: { type: 'string', maxLength: 254 },
    clientCode: { type: 'string', pattern: '^[0-9]{1,6}$' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

export async function chatRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  type Id = { Params: { id: string } };

  app.post<{ Body: ChatStartInput }>('/v1/chats', {
    config: chatRoles,
    schema: { tags: ['chats'], summary: "Start a chat: it waits in the department's queue", body: { $ref: 'ChatStart#' } },
  }, async (request, reply) => reply.status(201).send(await startChat(deps, request.body)));

  app.get<{ Querystring: ChatFilter }>('/v1/chats', {
    config: chatRoles,
    schema: { tags: ['chats'], summary: 'Chats by status, department, agent or client (a queue: status=queued&departmentId=)', querystring: listQuery },
  }, async (request) => {
    const query = { ...request.query, clientCode: request.query.clientCode && normalizeClientCode(request.query.clientCode) };
    return { items: (await listChats(deps.db, query)).map(toChatView) };
  });

  app.get<Id>('/v1/chats/:id', {
    config: chatRoles,
    schema: { tags: ['chats'], summary: 'One chat', params: chatIdParam },
  }, async (request) => toChatView(await loadChat(deps.db, request.params.id)));

  app.get<Id>('/v1/chats/:id/messages', {
    config: chatRoles,
    schema: { tags: ['chats'], summary: "A chat's messages, agents' private notes included (flagged private)", params: chatIdParam },
  }, async (request) => {
    await loadChat(deps.db, request.params.id);
    return { items: await chatMessages(deps.db, request.params.id, true) };
  });

  app.post<Id & { Body: MessageInput }>('/v1/chats/:id/messages', {
    config: chatRoles,
    schema: { tags: ['chats'], summary: 'Send a message (client, agent holding the chat, or system)', params: chatIdParam, body: { $ref: 'ChatMessage#' } },
  }, async (request, reply) => reply.status(201).send(await postMessage(deps, request.params.id, request.body)));

  app.post<Id & { Body: { agentId: string; text: string } }>('/v1/chats/:id/notes', {
    config: chatRoles,
    schema: { tags: ['chats'], summary: 'Private note between agents (never shown to the client)', params: chatIdParam, body: { $ref: 'ChatNote#' } },
  }, async (request, reply) => reply.status(201).send(await postNote(deps, request.params.id, request.body)));

  app.put<Id & { Body: { text: string } }>('/v1/chats/:id/advance-opinion', {
    config: chatRoles,
    schema: { tags: ['chats'], summary: "Advance opinion, carried into the integration's opinion", params: chatIdParam, body: { $ref: 'ChatAdvanceOpinion#' } },
  }, async (request) => writeAdvanceOpinion(deps, request.params.id, request.body.text));

  app.post<Id & { Body: { score: number } }>('/v1/chats/:id/rating', {
    config: chatRoles,
    schema: { tags: ['chats'], summary: "The client's satisfaction (1 to 5) with a closed chat", params: chatIdParam, body: { $ref: 'ChatRating#' } },
  }, async (request) => rateChat(deps, request.params.id, request.body.score));

  app.get<Id & { Querystring: { format?: 'text' | 'json' } }>('/v1/chats/:id/transcript', {
    config: chatRoles,
    schema: {
      tags: ['chats'],
      summary: 'Copy history: client-visible messages as text/plain (Accept or ?format=text) or JSON',
      params: chatIdParam,
      querystring: { type: 'object', additionalProperties: false, properties: { format: { enum: ['text', 'json'] } } },
    },
  }, async (request, reply) => {
    const transcript = await chatTranscript(deps, request.params.id);
    const accept = request.headers.accept ?? '';
    const asText = request.query.format === 'text' || (!request.query.format && accept.includes('text/plain') && !accept.includes('application/json'));
    if (asText) return reply.type('text/plain; charset=utf-8').send(transcript.text);
    return transcript;
  });

  app.get<Id>('/v1/chats/:id/details', {
    config: chatRoles,
    schema: { tags: ['chats'], summary: "The client panel: company, CPF/CNPJ, contact, satisfaction, markers, versions, ERP products and open cases", params: chatIdParam },
  }, async (request) => chatDetails(deps, request.params.id));

  await app.register(chatMoveRoutes, { deps });
  await app.register(chatFileRoutes, { deps });
  await app.register(chatEventRoutes, { deps });
  await app.register(agentRoutes, { deps });
  await app.register(departmentRoutes, { deps });
}
