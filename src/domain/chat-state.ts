// The chat lifecycle as pure moves: queued (in a department's queue) → active (with an agent)
// → transfer_pending (see chat-transfer.ts) → closing (close invitation sent) → closed. Each
// move returns the new state or throws ILLEGAL_CHAT_MOVE (409) naming the state the chat is in.

import { ConflictError } from '../errors.js';

export const CHAT_STATUSES = ['queued', 'active', 'transfer_pending', 'closing', 'closed'] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

export interface ChatState {
  status: ChatStatus;
  departmentId: string;
  agentId: string | null;
  lastAgentId: string | null;
  /** The receiver of the pending transfer. */
  transferToAgentId: string | null;
  transferRequestedAt: Date | null;
  /** The receiver accepted: both agents exchange private notes until the receiver completes. */
  transferAcceptedAt: Date | null;
  /** An unaccepted transfer returns to the sender then. */
  transferExpiresAt: Date | null;
  /** How many transfers were requested; identifies the current one's timer. */
  transfers: number;
  /** Who handed the chat over in the last completed transfer (transfer-back goes to them). */
  transferredFromAgentId: string | null;
  closeInviteAt: Date | null;
  closeInviteExpiresAt: Date | null;
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

export function guard(state: ChatState, move: string, allowed: readonly ChatStatus[]): void {
  if (!allowed.includes(state.status)) throw new IllegalChatMove(move, state.status, allowed);
}

/** States in which the chat is still open (messages, notes, uploads). */
export const OPEN: readonly ChatStatus[] = ['queued', 'active', 'transfer_pending', 'closing'];
/** States in which an agent holds the chat. */
export const WITH_AGENT: readonly ChatStatus[] = ['active', 'transfer_pending', 'closing'];

export function assertOpen(state: ChatState, move: string): void {
  guard(state, move, OPEN);
}

/** No transfer pending any more (answered, withdrawn or expired). */
export const NO_TRANSFER = { transferToAgentId: null, transferRequestedAt: null, transferAcceptedAt: null, transferExpiresAt: null } as const;

/** An agent takes the chat from its department's queue. */
export function accept(state: ChatState, agentId: string): ChatState {
  guard(state, 'accept from the queue', ['queued']);
  return { ...state, status: 'active', agentId };
}

/**
 * The chat goes to (another) department's queue; the agent who held it becomes the last one.
 * A pending transfer is withdrawn, and transfer-back is no longer offered: the chat now comes
 * from a queue, not from a transfer.
 */
export function sendToQueue(state: ChatState, departmentId: string): ChatState {
  guard(state, 'send to a queue', ['queued', 'active', 'transfer_pending']);
  return { ...state, ...NO_TRANSFER, status: 'queued', departmentId, agentId: null, lastAgentId: state.agentId ?? state.lastAgentId, transferredFromAgentId: null };
}

/** Sends the client a close invitation (withdrawing a pending transfer): the chat waits for yes, no, or the timeout. */
export function inviteToClose(state: ChatState, now: Date, expiresAt: Date): ChatState {
  guard(state, 'close', ['active', 'transfer_pending']);
  return { ...state, ...NO_TRANSFER, status: 'closing', closeInviteAt: now, closeInviteExpiresAt: expiresAt, closeInvites: state.closeInvites + 1 };
}

const closed = (state: ChatState, now: Date): ChatState => ({ ...state, ...NO_TRANSFER, status: 'closed', closedAt: now, closeInviteExpiresAt: null });

/** Direct close (account setting AGENTS_CAN_CLOSE), also while an invitation or a transfer waits. */
export function close(state: ChatState, now: Date): ChatState {
  guard(state, 'close', ['active', 'transfer_pending', 'closing']);
  return closed(state, now);
}

/** The client's answer: yes closes, no continues the conversation. */
export function answerCloseInvite(state: ChatState, accept: boolean, now: Date): ChatState {
  guard(state, 'answer the close invitation', ['closing']);
  return accept ? closed(state, now) : { ...state, status: 'active', closeInviteAt: null, closeInviteExpiresAt: null };
}

/**
 * A client who writes while the invitation waits is still talking: the chat goes on and the
 * invitation's timer finds nothing to close. Other states are left as they are.
 */
export function clientWrote(state: ChatState): ChatState {
  return state.status === 'closing' ? { ...state, status: 'active', closeInviteAt: null, closeInviteExpiresAt: null } : state;
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
