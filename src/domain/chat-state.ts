// The chat lifecycle as pure moves: queued (in a department's queue) → active (with an agent)
// → transfer_pending → closing (close invitation sent) → closed. Each move returns the new
// state or throws ILLEGAL_CHAT_MOVE (409) naming the state the chat is in.

import { ConflictError } from '../errors.js';

export const CHAT_STATUSES = ['queued', 'active', 'transfer_pending', 'closing', 'closed'] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

export interface ChatState {
  status: ChatStatus;
  departmentId: string;
  agentId: string | null;
  lastAgentId: string | null;
  transferToAgentId: string | null;
  closeInviteAt: Date | null;
  /** How many close invitations were sent; identifies the current one's timer. */
  closeInvites: number;
  closedAt: Date | null;
}

export class IllegalChatMove extends ConflictError {
  constructor(move: string, status: ChatStatus, allowed: readonly ChatStatus[]) {
    super('ILLEGAL_CHAT_MOVE', `cannot ${move}: the chat is ${status} (allowed when ${allowed.join(' or ')})`, [
      { path: 'status', message: `chat is ${status}`, current: status, allowed: [...allowed] },
    ]);
  }
}

function guard(state: ChatState, move: string, allowed: readonly ChatStatus[]): void {
  if (!allowed.includes(state.status)) throw new IllegalChatMove(move, state.status, allowed);
}

/** States in which the chat is still open (messages, notes, uploads). */
export const OPEN: readonly ChatStatus[] = ['queued', 'active', 'transfer_pending', 'closing'];
/** States in which an agent holds the chat. */
export const WITH_AGENT: readonly ChatStatus[] = ['active', 'transfer_pending', 'closing'];

export function assertOpen(state: ChatState, move: string): void {
  guard(state, move, OPEN);
}

/** An agent takes the chat from its department's queue. */
export function accept(state: ChatState, agentId: string): ChatState {
  guard(state, 'accept from the queue', ['queued']);
  return { ...state, status: 'active', agentId };
}

/** The chat goes to (another) department's queue; the agent who held it becomes the last one. */
export function sendToQueue(state: ChatState, departmentId: string): ChatState {
  guard(state, 'send to a queue', ['queued', 'active']);
  return { ...state, status: 'queued', departmentId, agentId: null, lastAgentId: state.agentId ?? state.lastAgentId, transferToAgentId: null };
}

export function requestTransfer(state: ChatState, toAgentId: string): ChatState {
  guard(state, 'transfer', ['active']);
  return { ...state, status: 'transfer_pending', transferToAgentId: toAgentId };
}

/** The receiver takes the chat; the sender becomes the last operator. */
export function acceptTransfer(state: ChatState): ChatState {
  guard(state, 'accept the transfer', ['transfer_pending']);
  return { ...state, status: 'active', agentId: state.transferToAgentId, lastAgentId: state.agentId, transferToAgentId: null };
}

export function declineTransfer(state: ChatState): ChatState {
  guard(state, 'decline the transfer', ['transfer_pending']);
  return { ...state, status: 'active', transferToAgentId: null };
}

/** The chat goes straight back to the last operator (who already handled it). */
export function transferBack(state: ChatState): ChatState {
  guard(state, 'transfer back', ['active']);
  if (!state.lastAgentId || state.lastAgentId === state.agentId) {
    throw new ConflictError('NO_LAST_OPERATOR', 'cannot transfer back: this chat has no previous operator to return to');
  }
  return { ...state, agentId: state.lastAgentId, lastAgentId: state.agentId };
}

/** Sends the client a close invitation: the chat waits for yes, no, or the timeout. */
export function inviteToClose(state: ChatState, now: Date): ChatState {
  guard(state, 'close', ['active']);
  return { ...state, status: 'closing', closeInviteAt: now, closeInvites: state.closeInvites + 1 };
}

const closed = (state: ChatState, now: Date): ChatState => ({ ...state, status: 'closed', closedAt: now, transferToAgentId: null });

/** Direct close (account setting AGENTS_CAN_CLOSE), also while an invitation waits. */
export function close(state: ChatState, now: Date): ChatState {
  guard(state, 'close', ['active', 'closing']);
  return closed(state, now);
}

/** The client's answer: yes closes, no continues the conversation. */
export function answerCloseInvite(state: ChatState, accept: boolean, now: Date): ChatState {
  guard(state, 'answer the close invitation', ['closing']);
  return accept ? closed(state, now) : { ...state, status: 'active', closeInviteAt: null };
}

/**
 * The timer of invitation `invite` fired. Null when there is nothing to do: the chat was
 * answered, closed, or invited again since (that later invitation has its own timer).
 */
export function closeInviteExpired(state: ChatState, invite: number, now: Date): ChatState | null {
  if (state.status !== 'closing' || state.closeInvites !== invite) return null;
  return closed(state, now);
}

/** Only the closed chat can be rated by its client. */
export function assertRatable(state: ChatState): void {
  guard(state, 'rate', ['closed']);
}
