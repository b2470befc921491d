// Transfers between agents as pure moves (seed 001 "Transferir"): the holder requests one to
// an online agent; the receiver accepts (the two then exchange private notes) and completes it
// ("Atender"), or declines; the sender may cancel; unaccepted, it expires back to the sender.
// Transfer-back is offered only to a chat that came from a transfer.

import { ConflictError } from '../errors.js';
import { guard, NO_TRANSFER, type ChatState } from './chat-state.js';

export function requestTransfer(state: ChatState, toAgentId: string, now: Date, expiresAt: Date): ChatState {
  guard(state, 'transfer', ['active']);
  return { ...state, status: 'transfer_pending', transferToAgentId: toAgentId, transferRequestedAt: now, transferAcceptedAt: null, transferExpiresAt: expiresAt, transfers: state.transfers + 1 };
}

/** The receiver accepts: the exchange of private notes opens; the sender still holds the chat. */
export function acceptTransfer(state: ChatState, now: Date): ChatState {
  guard(state, 'accept the transfer', ['transfer_pending']);
  if (state.transferAcceptedAt) throw new ConflictError('TRANSFER_ALREADY_ACCEPTED', 'the transfer is already accepted: complete it with POST /v1/chats/:id/transfer/complete');
  return { ...state, transferAcceptedAt: now, transferExpiresAt: null };
}

/** "Atender": the receiver takes the chat; the sender becomes the last operator. */
export function completeTransfer(state: ChatState): ChatState {
  guard(state, 'complete the transfer', ['transfer_pending']);
  if (!state.transferAcceptedAt) throw new ConflictError('TRANSFER_NOT_ACCEPTED', 'accept the transfer first (POST /v1/chats/:id/transfer/accept), then complete it');
  return { ...state, ...NO_TRANSFER, status: 'active', agentId: state.transferToAgentId, lastAgentId: state.agentId, transferredFromAgentId: state.agentId };
}

/** Declined by the receiver or cancelled by the sender: the chat stays with the sender. */
export function withdrawTransfer(state: ChatState, move: 'decline the transfer' | 'cancel the transfer'): ChatState {
  guard(state, move, ['transfer_pending']);
  return { ...state, ...NO_TRANSFER, status: 'active' };
}

/** The timer of transfer `transfer` fired: back to the sender unless it was answered or replaced. */
export function transferExpired(state: ChatState, transfer: number): ChatState | null {
  if (state.status !== 'transfer_pending' || state.transfers !== transfer || state.transferAcceptedAt) return null;
  return { ...state, ...NO_TRANSFER, status: 'active' };
}

/** Straight back to the agent who handed the chat over (only a chat that came from a transfer). */
export function transferBack(state: ChatState): ChatState {
  guard(state, 'transfer back', ['active']);
  const to = state.transferredFromAgentId;
  if (!to || to === state.agentId) {
    throw new ConflictError('NO_LAST_OPERATOR', 'cannot transfer back: this chat did not come to its agent by a transfer');
  }
  return { ...state, agentId: to, lastAgentId: state.agentId, transferredFromAgentId: state.agentId };
}
