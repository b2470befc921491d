// The chat state machine alone (pure): each move from each state, transfers in two steps with
// their timer, and the close-invite timer rule.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as lifecycle from '../../src/domain/chat-state.js';
import * as transfer from '../../src/domain/chat-transfer.js';
import { PonteError } from '../../src/errors.js';

const t0 = new Date('2026-03-02T12:00:00Z');
const t1 = new Date('2026-03-02T12:05:00Z');
const chat = {
  ...lifecycle,
  ...transfer,
  inviteToClose: (s: lifecycle.ChatState, now: Date) => lifecycle.inviteToClose(s, now, t1),
  requestTransfer: (s: lifecycle.ChatState, to: string) => transfer.requestTransfer(s, to, t0, t1),
  acceptTransfer: (s: lifecycle.ChatState) => transfer.acceptTransfer(s, t0),
  declineTransfer: (s: lifecycle.ChatState) => transfer.withdrawTransfer(s, 'decline the transfer'),
  cancelTransfer: (s: lifecycle.ChatState) => transfer.withdrawTransfer(s, 'cancel the transfer'),
};
const queued: lifecycle.ChatState = {
  status: 'queued', departmentId: 'support', agentId: null, lastAgentId: null, transferToAgentId: null, transferRequestedAt: null, transferAcceptedAt: null,
  transferExpiresAt: null, transfers: 0, transferredFromAgentId: null, closeInviteAt: null, closeInviteExpiresAt: null, closeInvites: 0, closedAt: null,
};

function illegal(fn: () => unknown): PonteError {
  try {
    fn();
  } catch (err) {
    return err as PonteError;
  }
  throw new Error('expected the move to be refused');
}

describe('chat state machine', () => {
  it('goes queued → active → transfer_pending (accepted, then completed) → active → closing → closed', () => {
    const active = chat.accept(queued, 'ana');
    expect(active).toMatchObject({ status: 'active', agentId: 'ana' });
    const pending = chat.requestTransfer(active, 'bruno');
    expect(pending).toMatchObject({ status: 'transfer_pending', agentId: 'ana', transferToAgentId: 'bruno', transfers: 1, transferExpiresAt: t1 });
    expect(illegal(() => chat.completeTransfer(pending)).code).toBe('TRANSFER_NOT_ACCEPTED');
    const accepted = chat.acceptTransfer(pending);
    expect(accepted).toMatchObject({ status: 'transfer_pending', agentId: 'ana', transferAcceptedAt: t0, transferExpiresAt: null });
    expect(illegal(() => chat.acceptTransfer(accepted)).code).toBe('TRANSFER_ALREADY_ACCEPTED');
    const taken = chat.completeTransfer(accepted);
    expect(taken).toMatchObject({ status: 'active', agentId: 'bruno', lastAgentId: 'ana', transferToAgentId: null, transferredFromAgentId: 'ana' });
    expect(chat.transferBack(taken)).toMatchObject({ status: 'active', agentId: 'ana', lastAgentId: 'bruno', transferredFromAgentId: 'bruno' });
    const closing = chat.inviteToClose(taken, t0);
    expect(closing).toMatchObject({ status: 'closing', closeInvites: 1, closeInviteAt: t0, closeInviteExpiresAt: t1 });
    expect(chat.answerCloseInvite(closing, true, t0)).toMatchObject({ status: 'closed', closedAt: t0 });
    expect(chat.answerCloseInvite(closing, false, t0)).toMatchObject({ status: 'active', closeInviteAt: null, closeInvites: 1 });
  });

  it('declining or cancelling a transfer leaves the chat with its agent', () => {
    const pending = chat.requestTransfer(chat.accept(queued, 'ana'), 'bruno');
    expect(chat.declineTransfer(pending)).toMatchObject({ status: 'active', agentId: 'ana', transferToAgentId: null });
    expect(chat.cancelTransfer(chat.acceptTransfer(pending))).toMatchObject({ status: 'active', agentId: 'ana', transferToAgentId: null, transferAcceptedAt: null });
  });

  it('returns an unaccepted transfer to the sender when its own timer fires, and only then', () => {
    const pending = chat.requestTransfer(chat.accept(queued, 'ana'), 'bruno');
    expect(chat.transferExpired(pending, 1)).toMatchObject({ status: 'active', agentId: 'ana', transferToAgentId: null });
    expect(chat.transferExpired(chat.acceptTransfer(pending), 1)).toBeNull();
    const again = chat.requestTransfer(chat.declineTransfer(pending), 'carla');
    expect(chat.transferExpired(again, 1)).toBeNull();
    expect(chat.transferExpired(again, 2)).toMatchObject({ status: 'active', agentId: 'ana' });
  });

  it('sending to a queue frees the agent, withdraws a transfer and ends transfer-back', () => {
    expect(chat.sendToQueue(chat.accept(queued, 'ana'), 'sales')).toMatchObject({ status: 'queued', departmentId: 'sales', agentId: null, lastAgentId: 'ana' });
    const fromTransfer = chat.completeTransfer(chat.acceptTransfer(chat.requestTransfer(chat.accept(queued, 'ana'), 'bruno')));
    const requeued = chat.accept(chat.sendToQueue(fromTransfer, 'sales'), 'carla');
    expect(requeued.transferredFromAgentId).toBeNull();
    expect(illegal(() => chat.transferBack(requeued)).code).toBe('NO_LAST_OPERATOR');
    expect(chat.sendToQueue(chat.requestTransfer(chat.accept(queued, 'ana'), 'bruno'), 'sales')).toMatchObject({ status: 'queued', transferToAgentId: null });
  });

  it('a client message during the close invitation puts the chat back in conversation', () => {
    const closing = chat.inviteToClose(chat.accept(queued, 'ana'), t0);
    expect(chat.clientWrote(closing)).toMatchObject({ status: 'active', closeInviteAt: null, closeInvites: 1 });
    expect(chat.closeInviteExpired(chat.clientWrote(closing), 1, t0)).toBeNull();
    expect(chat.clientWrote(chat.accept(queued, 'ana'))).toMatchObject({ status: 'active' });
  });

  it('refuses an illegal move with 409 ILLEGAL_CHAT_MOVE naming the current state', () => {
    const err = illegal(() => chat.requestTransfer(queued, 'bruno'));
    expect(err).toBeInstanceOf(chat.IllegalChatMove);
    expect([err.status, err.code]).toEqual([409, 'ILLEGAL_CHAT_MOVE']);
    expect(err.message).toContain('the chat is queued');
    expect(err.details[0]).toMatchObject({ current: 'queued', allowed: ['active'] });
    const closed = chat.close(chat.accept(queued, 'ana'), t0);
    for (const move of [() => chat.accept(closed, 'x'), () => chat.inviteToClose(closed, t0), () => chat.assertOpen(closed, 'send a message')]) {
      expect(illegal(move).message).toContain('the chat is closed');
    }
    expect(illegal(() => chat.transferBack(chat.accept(queued, 'ana'))).code).toBe('NO_LAST_OPERATOR');
    // A chat that only went through a queue has a last operator but did not come from a transfer.
    expect(illegal(() => chat.transferBack(chat.accept(chat.sendToQueue(chat.accept(queued, 'ana'), 'support'), 'bruno'))).code).toBe('NO_LAST_OPERATOR');
  });

  it('lets an invitation timer close only the invitation it was set for', () => {
    const first = chat.inviteToClose(chat.accept(queued, 'ana'), t0);
    expect(chat.closeInviteExpired(first, 1, t0)).toMatchObject({ status: 'closed' });
    const second = chat.inviteToClose(chat.answerCloseInvite(first, false, t0), t0);
    expect(chat.closeInviteExpired(second, 1, t0)).toBeNull();
    expect(chat.closeInviteExpired(second, 2, t0)).toMatchObject({ status: 'closed' });
    expect(chat.closeInviteExpired(chat.answerCloseInvite(second, false, t0), 2, t0)).toBeNull();
  });

  it('any sequence of moves ends in a known state or a refusal naming the state', () => {
    const moves = [
      (s: lifecycle.ChatState) => chat.accept(s, 'ana'),
      (s: lifecycle.ChatState) => chat.sendToQueue(s, 'sales'),
      (s: lifecycle.ChatState) => chat.requestTransfer(s, 'bruno'),
      (s: lifecycle.ChatState) => chat.acceptTransfer(s),
      (s: lifecycle.ChatState) => chat.completeTransfer(s),
      (s: lifecycle.ChatState) => chat.declineTransfer(s),
      (s: lifecycle.ChatState) => chat.cancelTransfer(s),
      (s: lifecycle.ChatState) => chat.transferExpired(s, s.transfers) ?? s,
      (s: lifecycle.ChatState) => chat.transferBack(s),
      (s: lifecycle.ChatState) => chat.inviteToClose(s, t0),
      (s: lifecycle.ChatState) => chat.clientWrote(s),
      (s: lifecycle.ChatState) => chat.answerCloseInvite(s, false, t0),
      (s: lifecycle.ChatState) => chat.answerCloseInvite(s, true, t0),
      (s: lifecycle.ChatState) => chat.close(s, t0),
    ];
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: moves.length - 1 }), { maxLength: 30 }), (picks) => {
      let state = queued;
      for (const i of picks) {
        try {
          state = moves[i]!(state);
        } catch (err) {
          const e = err as PonteError;
          expect(e.status).toBe(409);
          if (e.code === 'ILLEGAL_CHAT_MOVE') expect(e.message).toContain(`the chat is ${state.status}`);
        }
        expect(chat.CHAT_STATUSES).toContain(state.status);
        expect(state.status === 'queued').toBe(state.agentId === null);
        expect(state.status === 'transfer_pending').toBe(state.transferToAgentId !== null);
        if (state.transferAcceptedAt) expect(state.status).toBe('transfer_pending');
      }
    }));
  });
});
