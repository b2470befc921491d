// The return's status as pure moves (seed 002): open → awaiting_client (agent awaits a reply)
// → awaiting_agent (the client wrote) → closed, reopened by hand or by a new client message.
// Each move returns the new status or throws ILLEGAL_RETURN_MOVE (409) naming the current one.

import { ConflictError } from '../errors.js';

export const RETURN_STATUSES = ['open', 'awaiting_client', 'awaiting_agent', 'closed'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export type ReturnMove =
  | { kind: 'agentReply'; awaitReply: boolean }
  | { kind: 'clientMessage' }
  | { kind: 'interaction' }
  | { kind: 'resend' }
  | { kind: 'close' }
  | { kind: 'reopen' };

const ACTIVE: readonly ReturnStatus[] = ['open', 'awaiting_client', 'awaiting_agent'];

/** The statuses each move is allowed from. */
const ALLOWED: Record<ReturnMove['kind'], readonly ReturnStatus[]> = {
  agentReply: ACTIVE,
  interaction: ACTIVE,
  resend: ACTIVE,
  close: ACTIVE,
  clientMessage: RETURN_STATUSES,
  reopen: ['closed'],
};

const VERB: Record<ReturnMove['kind'], string> = {
  agentReply: 'reply to',
  interaction: 'record an interaction on',
  resend: 'resend',
  close: 'close',
  clientMessage: 'add a client message to',
  reopen: 'reopen',
};

export class IllegalReturnMove extends ConflictError {
  constructor(move: ReturnMove['kind'], status: ReturnStatus, allowed: readonly ReturnStatus[]) {
    super('ILLEGAL_RETURN_MOVE', `cannot ${VERB[move]} a return that is ${status} (allowed when ${allowed.join(' or ')})`, [
      { path: 'status', message: `return is ${status}`, current: status, allowed: [...allowed] },
    ]);
  }
}

export function nextReturnStatus(status: ReturnStatus, move: ReturnMove): ReturnStatus {
  const allowed = ALLOWED[move.kind];
  if (!allowed.includes(status)) throw new IllegalReturnMove(move.kind, status, allowed);
  switch (move.kind) {
    case 'agentReply':
      // An informative reply leaves the status as it is; a question to the client waits for them.
      return move.awaitReply ? 'awaiting_client' : status;
    case 'clientMessage':
      // A new client message reopens a closed return too (seed 002).
      return 'awaiting_agent';
    case 'close':
      return 'closed';
    case 'reopen':
      return 'open';
    case 'interaction':
    case 'resend':
      return status;
  }
}
