// Chat lifecycle routes: accept from the queue, send to a queue, transfer (accept, complete,
// decline, cancel), transfer back, close (direct or by invitation) and the client's answer.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { acceptFromQueue, sendToQueue } from '../chats/moves.js';
import { acceptTransfer, cancelTransfer, completeTransfer, declineTransfer, requestTransfer, transferBack } from '../chats/transfers.js';
import { answerCloseInvite, closeChat } from '../chats/closing.js';
import { chatIdParam, chatRoles } from './chats-params.js';
import { answers } from './answers.js';

type AgentBody = { Params: { id: string }; Body: { agentId: string } };

export async function chatMoveRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const route = (summary: string, body: string) => ({
    config: chatRoles,
    schema: { tags: ['chats'], summary, params: chatIdParam, body: { $ref: `${body}#` }, response: answers({ 200: { $ref: 'ChatView#' } }, 400, 401, 403, 404, 409) },
  });

  app.post<AgentBody>('/v1/chats/:id/accept', route("An online agent of the chat's department takes it from the queue", 'ChatAgentAction'),
    async (request) => acceptFromQueue(deps, request.params.id, request.body.agentId));

  app.post<{ Params: { id: string }; Body: { agentId: string; departmentId: string } }>('/v1/chats/:id/queue',
    route("Send the chat to a department's waiting queue (the holder, or an agent of the queue it waits in)", 'ChatQueue'),
    async (request) => sendToQueue(deps, request.params.id, request.body));

  app.post<{ Params: { id: string }; Body: { agentId: string; toAgentId: string } }>('/v1/chats/:id/transfer',
    route('Transfer the chat to another online agent (of any department); unaccepted after TRANSFER_TIMEOUT_MS it returns to the sender', 'ChatTransfer'),
    async (request) => requestTransfer(deps, request.params.id, request.body));

  app.post<AgentBody>('/v1/chats/:id/transfer/accept', route('The receiver accepts the transfer: both agents may now exchange private notes; complete it to take the chat', 'ChatAgentAction'),
    async (request) => acceptTransfer(deps, request.params.id, request.body.agentId));

  app.post<AgentBody>('/v1/chats/:id/transfer/complete', route('"Atender": the receiver who accepted takes the chat over', 'ChatAgentAction'),
    async (request) => completeTransfer(deps, request.params.id, request.body.agentId));

  app.post<AgentBody>('/v1/chats/:id/transfer/decline', route('The receiver declines the transfer: the chat stays with the sender', 'ChatAgentAction'),
    async (request) => declineTransfer(deps, request.params.id, request.body.agentId));

  app.post<AgentBody>('/v1/chats/:id/transfer/cancel', route('The sender takes the transfer request back', 'ChatAgentAction'),
    async (request) => cancelTransfer(deps, request.params.id, request.body.agentId));

  app.post<AgentBody>('/v1/chats/:id/transfer-back', route('Give the chat back to the agent who transferred it (only a chat that came from a transfer)', 'ChatAgentAction'),
    async (request) => transferBack(deps, request.params.id, request.body));

  app.post<AgentBody>('/v1/chats/:id/close', route('Close the chat (AGENTS_CAN_CLOSE) or invite the client to close it', 'ChatAgentAction'),
    async (request) => closeChat(deps, request.params.id, request.body));

  app.post<{ Params: { id: string }; Body: { accept: boolean } }>('/v1/chats/:id/close-invite/answer', route("The client's answer to the close invitation", 'ChatCloseAnswer'),
    async (request) => answerCloseInvite(deps, request.params.id, request.body.accept));
}
