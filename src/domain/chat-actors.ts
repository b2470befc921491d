// Who may act on a chat: the agent holding it, the receiver of a transfer, agents of the
// chat's department. Pure checks over the chat state and the agent records.

import { ConflictError, PonteError, ValidationError } from '../errors.js';
import type { ChatState } from './chat-state.js';

export interface AgentFacts {
  id: string;
  name: string;
  departmentIds: string[];
  online: boolean;
}

function forbidden(code: string, message: string, path = 'agentId'): PonteError {
  return new PonteError(code, message, { status: 403, details: [{ path, message }] });
}

/** Agent messages, transfers, transfer-back and close come from the agent holding the chat. */
export function assertChatAgent(state: ChatState, agentId: string): void {
  if (state.agentId !== agentId) {
    throw forbidden('NOT_CHAT_AGENT', state.agentId ? `agent ${agentId} does not hold this chat (agent ${state.agentId} does)` : `agent ${agentId} does not hold this chat (nobody does: it is ${state.status})`);
  }
}

/** Only the receiver answers a transfer. */
export function assertTransferTarget(state: ChatState, agentId: string): void {
  if (state.transferToAgentId !== agentId) {
    throw forbidden('NOT_TRANSFER_TARGET', `agent ${agentId} is not the receiver of this transfer${state.transferToAgentId ? ` (agent ${state.transferToAgentId} is)` : ''}`);
  }
}

/**
 * Private notes: the agent holding the chat, the receiver of a transfer once they accepted it
 * (the two agents exchange what the client needs during the hand-over), and the previous operator.
 */
export function assertMayWriteNote(state: ChatState, agentId: string): void {
  const allowed = [state.agentId, state.transferAcceptedAt ? state.transferToAgentId : null, state.lastAgentId].filter(Boolean);
  if (allowed.includes(agentId)) return;
  if (agentId === state.transferToAgentId) throw forbidden('TRANSFER_NOT_ACCEPTED', `agent ${agentId} writes notes on this chat once they accept the transfer`);
  throw forbidden('NOT_CHAT_AGENT', `agent ${agentId} is neither holding, receiving nor handing over this chat`);
}

/** Agents take chats from the queues of their own departments. */
export function assertInDepartment(agent: AgentFacts, departmentId: string): void {
  if (!agent.departmentIds.includes(departmentId)) {
    throw forbidden('AGENT_NOT_IN_DEPARTMENT', `agent ${agent.id} is not in department ${departmentId}`);
  }
}

/** Only an agent who is online now takes a chat: from a queue, by a transfer, or back. */
export function assertOnline(agent: AgentFacts, path = 'agentId'): void {
  if (!agent.online) {
    throw new ConflictError('AGENT_OFFLINE', `agent ${agent.id} (${agent.name}) is offline: only online agents take chats (PUT /v1/agents/${agent.id}/presence)`, [{ path, message: 'agent is offline' }]);
  }
}

/** Transfers go only to another agent who is online now (of any department, as the seed says). */
export function assertOnlineReceiver(state: ChatState, target: AgentFacts, path = 'toAgentId'): void {
  if (target.id === state.agentId) throw ValidationError.field(path, 'is the agent already holding the chat', 'TRANSFER_TO_SELF');
  assertOnline(target, path);
}
