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
import { chatMessagePage } from '../store/chat-messages.js';
import { answers, CURSOR, LIMIT, listQuery, pageOf } from './answers.js';
import { agentQuery, chatIdParam, chatRoles } from './chats-params.js';
import { seesPrivateNotes } from '../chats/privacy.js';
import { chatMoveRoutes } from './chats-moves.js';
import { chatFileRoutes } from './chats-files.js';
import { chatEventRoutes } from './chats-events.js';
import { agentRoutes } from './agents.js';
import { departmentRoutes } from './departments.js';
import { hideClientDataWithoutPermission, mayViewClientData } from './client-data.js';


const chatListQuery = listQuery({
  status: { enum: [...CHAT_STATUSES] },
  departmentId: { type: 'string', maxLength: 100 },
  agentId: { type: 'string', maxLength: 100, description: 'Chats held by this agent.' },
  transferTo: { type: 'string', maxLength: 100, description: "This agent's incoming transfers (chats waiting for them to accept or complete)." },
  clientEmail: { type: 'string', maxLength: 254 },
  clientCode: { type: 'string', pattern: '^[0-9]{1,6}$' },
});
const messagesQuery = { ...agentQuery, properties: { ...agentQuery.properties, limit: LIMIT, cursor: CURSOR } } as const;
const chat = { $ref: 'ChatView#' };
const message = { $ref: 'ChatMessageView#' };

export async function chatRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  type Id = { Params: { id: string } };
  // Before the child plugins are registered, so their answers are covered too.
  hideClientDataWithoutPermission(app, deps);

  app.post<{ Body: ChatStartInput }>('/v1/chats', {
    config: chatRoles,
    schema: { tags: ['chats'], operationId: 'startChat', summary: "Start a chat: it waits in the department's queue", body: { $ref: 'ChatStart#' }, response: answers({ 201: chat }, 404) },
  }, async (request, reply) => reply.status(201).send(await startChat(deps, request.body)));

  app.get<{ Querystring: ChatFilter }>('/v1/chats', {
    config: chatRoles,
    schema: {
      tags: ['chats'], operationId: 'listChats', querystring: chatListQuery, response: answers({ 200: pageOf('ChatView') }),
      summary: "Chats by status, department, agent, incoming transfer or client (a queue: status=queued&departmentId=, oldest first; an agent's incoming transfers: transferTo=)",
    },
  }, async (request) => {
    const query = { ...request.query, clientCode: request.query.clientCode && normalizeClientCode(request.query.clientCode) };
    const { rows, nextCursor } = await listChats(deps.db, query);
    return { items: rows.map(toChatView), nextCursor };
  });

  app.get<Id>('/v1/chats/:id', {
    config: chatRoles,
    schema: { tags: ['chats'], operationId: 'getChat', summary: 'One chat', params: chatIdParam, response: answers({ 200: chat }, 404) },
  }, async (request) => toChatView(await loadChat(deps.db, request.params.id)));

  app.get<Id & { Querystring: { agentId?: string; limit?: number; cursor?: string } }>('/v1/chats/:id/messages', {
    config: chatRoles,
    schema: {
      tags: ['chats'], operationId: 'listChatMessages', params: chatIdParam, querystring: messagesQuery,
      summary: "A chat's messages, oldest first; agents' private notes (flagged private) only with see_private_notes",
      response: answers({
        200: {
          ...pageOf('ChatMessageView'),
          properties: { ...pageOf('ChatMessageView').properties, privateNotesHidden: { type: 'boolean', description: 'Present (true) when private notes were left out.' } },
        },
      }, 404),
    },
  }, async (request) => {
    await loadChat(deps.db, request.params.id);
    const privateToo = await seesPrivateNotes(deps, { apiKey: request.apiKey, agentId: request.actingAgentId ?? request.query.agentId });
    const page = await chatMessagePage(deps.db, request.params.id, privateToo, request.query);
    return { ...page, ...(privateToo ? {} : { privateNotesHidden: true }) };
  });

  app.post<Id & { Body: MessageInput }>('/v1/chats/:id/messages', {
    config: chatRoles,
    schema: { tags: ['chats'], operationId: 'postChatMessage', summary: 'Send a message (client, agent holding the chat, or system)', params: chatIdParam, body: { $ref: 'ChatMessage#' }, response: answers({ 201: message }, 404) },
  }, async (request, reply) => reply.status(201).send(await postMessage(deps, request.params.id, request.body)));

  app.post<Id & { Body: { agentId: string; text: string } }>('/v1/chats/:id/notes', {
    config: chatRoles,
    schema: { tags: ['chats'], operationId: 'postChatNote', summary: 'Private note between agents (never shown to the client)', params: chatIdParam, body: { $ref: 'ChatNote#' }, response: answers({ 201: message }, 404) },
  }, async (request, reply) => reply.status(201).send(await postNote(deps, request.params.id, request.body)));

  app.put<Id & { Body: { text: string } }>('/v1/chats/:id/advance-opinion', {
    config: chatRoles,
    schema: { tags: ['chats'], operationId: 'putChatAdvanceOpinion', summary: "Advance opinion, carried into the integration's opinion", params: chatIdParam, body: { $ref: 'ChatAdvanceOpinion#' }, response: answers({ 200: chat }, 404) },
  }, async (request) => writeAdvanceOpinion(deps, request.params.id, request.body.text));

  app.post<Id & { Body: { score: number } }>('/v1/chats/:id/rating', {
    config: chatRoles,
    schema: { tags: ['chats'], operationId: 'rateChat', summary: "The client's satisfaction (1 to 5) with a closed chat", params: chatIdParam, body: { $ref: 'ChatRating#' }, response: answers({ 200: chat }, 404) },
  }, async (request) => rateChat(deps, request.params.id, request.body.score));

  app.get<Id & { Querystring: { format?: 'text' | 'json' } }>('/v1/chats/:id/transcript', {
    config: chatRoles,
    schema: {
      tags: ['chats'],
      operationId: 'getChatTranscript',
      summary: 'Copy history: client-visible messages as text/plain (Accept or ?format=text) or JSON',
      response: answers({ 200: { content: { 'application/json': { schema: { $ref: 'ChatTranscript#' } }, 'text/plain': { schema: { type: 'string' } } } } }, 404),
      params: chatIdParam,
      querystring: { type: 'object', additionalProperties: false, properties: { format: { enum: ['text', 'json'] }, agentId: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$', description: 'The acting agent (recorded in the access log).' } } },
    },
  }, async (request, reply) => {
    const transcript = await chatTranscript(deps, request.params.id, { hideClient: !(await mayViewClientData(deps, request)) });
    const accept = request.headers.accept ?? '';
    const asText = request.query.format === 'text' || (!request.query.format && accept.includes('text/plain') && !accept.includes('application/json'));
    if (asText) return reply.type('text/plain; charset=utf-8').send(transcript.text);
    return transcript;
  });

  app.get<Id>('/v1/chats/:id/details', {
    config: chatRoles,
    schema: { tags: ['chats'], operationId: 'getChatDetails', summary: "The client panel: company, CPF/CNPJ, contact, satisfaction, markers, versions, ERP products and open cases", params: chatIdParam, response: answers({ 200: { $ref: 'ChatDetails#' } }, 404) },
  }, async (request) => chatDetails(deps, request.params.id));

  await app.register(chatMoveRoutes, { deps });
  await app.register(chatFileRoutes, { deps });
  await app.register(chatEventRoutes, { deps });
  await app.register(agentRoutes, { deps });
  await app.register(departmentRoutes, { deps });
}
