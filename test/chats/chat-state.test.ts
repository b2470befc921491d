// The chat state machine alone (pure): each move from each state, and the close-invite timer rule.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as chat from '../../src/domain/chat-state.js';
import { PonteError } from '../../src/errors.js';

const t0 = new Date('2026-03-02T12:00:00Z');
const queued: chat.ChatState = { status: 'queued', departmentId: 'support', agentId: null, lastAgentId: null, transferToAgentId: null, closeInviteAt: null, closeInvites: 0, closedAt: null };

function illegal(fn: () => unknown): PonteError {
  try {
    fn();
  } catch (err) {
    return err as PonteError;
  }
  throw new Error('expected the move to be refused');
}

describe('chat state machine', () => {
  it('goes queued → active → transfer_pending → active → closing → closed', () => {
    const active = chat.accept(queued, 'ana');
    expect(active).toMatchObject({ status: 'active', agentId: 'ana' });
    const pending = chat.requestTransfer(active, 'bruno');
    expect(pending).toMatchObject({ status: 'transfer_pending', agentId: 'ana', transferToAgentId: 'bruno' });
    const taken = chat.acceptTransfer(pending);
    expect(taken).toMatchObject({ status: 'active', agentId: 'bruno', lastAgentId: 'ana', transferToAgentId: null });
    expect(chat.transferBack(taken)).toMatchObject({ status: 'active', agentId: 'ana', lastAgentId: 'bruno' });
    const closing = chat.inviteToClose(taken, t0);
    expect(closing).toMatchObject({ status: 'closing', closeInvites: 1, closeInviteAt: t0 });
    expect(chat.answerCloseInvite(closing, true, t0)).toMatchObject({ status: 'closed', closedAt: t0 });
    expect(chat.answerCloseInvite(closing, false, t0)).toMatchObject({ status: 'active', closeInviteAt: null, closeInvites: 1 });
  });

  it('declining a transfer leaves the chat with its agent', () => {
    const pending = chat.requestTransfer(chat.accept(queued, 'ana'), 'bruno');
    expect(chat.declineTransfer(pending)).toMatchObject({ status: 'active', agentId: 'ana', transferToAgentId: null });
  });

  it('sending to a queue frees the agent and remembers them as the last operator', () => {
    expect(chat.sendToQueue(chat.accept(queued, 'ana'), 'sales')).toMatchObject({ status: 'queued', departmentId: 'sales', agentId: null, lastAgentId: 'ana' });
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
      (s: chat.ChatState) => chat.accept(s, 'ana'),
      (s: chat.ChatState) => chat.sendToQueue(s, 'sales'),
      (s: chat.ChatState) => chat.requestTransfer(s, 'bruno'),
      (s: chat.ChatState) => chat.acceptTransfer(s),
      (s: chat.ChatState) => chat.declineTransfer(s),
      (s: chat.ChatState) => chat.transferBack(s),
      (s: chat.ChatState) => chat.inviteToClose(s, t0),
      (s: chat.ChatState) => chat.answerCloseInvite(s, false, t0),
      (s: chat.ChatState) => chat.answerCloseInvite(s, true, t0),
      (s: chat.ChatState) => chat.close(s, t0),
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
      }
    }));
  });
});
