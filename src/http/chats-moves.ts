// Chat lifecycle routes: accept from the queue, send to a queue, transfer (and its answer),
// transfer back, close (direct or by invitation) and the client's answer to the invitation.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { acceptFromQueue, answerTransfer, requestTransfer, sendToQueue, transferBack } from '../chats/moves.js';
import { answerCloseInvite, closeChat } from '../chats/closing.js';
import { chatIdParam, chatRoles } from './chats-params.js';

type AgentBody = { Params: { id: string }; Body: { agentId: string } };

export async function chatMoveRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const route = (summary: string, body: string) => ({ config: chatRoles, schema: { tags: ['chats'], summary, params: chatIdParam, body: { $ref: `${body}#` } } });

  app.post<AgentBody>('/v1/chats/:id/accept', route("An agent takes the chat from its department's queue", 'ChatAgentAction'),
    async (request) => acceptFromQueue(deps, request.params.id, request.body.agentId));

  app.post<{ Params: { id: string }; Body: { agentId: string; departmentId: string } }>('/v1/chats/:id/queue', route("Send the chat to a department's waiting queue", 'ChatQueue'),
    async (request) => sendToQueue(deps, request.params.id, request.body));

  app.post<{ Params: { id: string }; Body: { agentId: string; toAgentId: string } }>('/v1/chats/:id/transfer', route('Transfer the chat to another online agent', 'ChatTransfer'),
    async (request) => requestTransfer(deps, request.params.id, request.body));

  app.post<AgentBody>('/v1/chats/:id/transfer/accept', route('The receiver takes the transferred chat', 'ChatAgentAction'),
    async (request) => answerTransfer(deps, request.params.id, { agentId: request.body.agentId, accept: true }));

  app.post<AgentBody>('/v1/chats/:id/transfer/decline', route('The receiver declines the transfer', 'ChatAgentAction'),
    async (request) => answerTransfer(deps, request.params.id, { agentId: request.body.agentId, accept: false }));

  app.post<AgentBody>('/v1/chats/:id/transfer-back', route('Give the chat back to the last operator', 'ChatAgentAction'),
    async (request) => transferBack(deps, request.params.id, request.body));

  app.post<AgentBody>('/v1/chats/:id/close', route('Close the chat (AGENTS_CAN_CLOSE) or invite the client to close it', 'ChatAgentAction'),
    async (request) => closeChat(deps, request.params.id, request.body));

  app.post<{ Params: { id: string }; Body: { accept: boolean } }>('/v1/chats/:id/close-invite/answer', route("The client's answer to the close invitation", 'ChatCloseAnswer'),
    async (request) => answerCloseInvite(deps, request.params.id, request.body.accept));
}
