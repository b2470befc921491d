// Closing a chat (seed 001): directly when the account lets agents close (AGENTS_CAN_CLOSE),
// otherwise by a close invitation the client answers; an unanswered invitation closes the chat
// when its timer (a delayed job on the timers queue, written through the outbox) fires.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import * as chat from '../domain/chat-state.js';
import { assertChatAgent } from '../domain/chat-actors.js';
import { CHAT_TEXTS, type CloseReason } from '../domain/chat-texts.js';
import { saveState, toState, type HostedChatRow } from '../store/chat-records.js';
import { addMessage } from '../store/chat-messages.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { emitEvent } from '../events/emit.js';
import { chatClosedData } from '../events/payloads.js';
import { NotFoundError } from '../errors.js';
import { requireAgent } from './actors.js';
import { loadChat, onChat, publishLive, type MoveOutcome } from './chat-change.js';
import { toChatView, type ChatView } from './view.js';
import { withdrawnTransfer } from './moves.js';

export const CLOSE_INVITE_TIMEOUT_JOB = 'close-invite-timeout';

export interface CloseInviteTimeout { chatId: string; invite: number }

async function finishClose(deps: Deps, q: Queryable, row: HostedChatRow, next: chat.ChatState, reason: CloseReason): Promise<MoveOutcome<ChatView>> {
  const withdrawn = withdrawnTransfer(toState(row), 'closed');
  const saved = await saveState(q, row.id, next);
  const systemMessage = await addMessage(q, row.id, { from: 'system', text: CHAT_TEXTS.closed[reason] }, deps.clock.now());
  const closedAt = saved.closed_at!.toISOString();
  await emitEvent(q, 'chat.closed', { ...chatClosedData({ chatId: row.id, externalId: saved.external_id, clientCode: saved.client_code, departmentId: saved.department_id, agentId: saved.agent_id, reason, closedAt }) }, deps.clock.now());
  return { result: toChatView(saved), events: [{ type: 'closed', data: { reason, closedAt, agentId: saved.agent_id, status: saved.status, systemMessage } }, ...withdrawn], queuedJobs: true };
}

/** The agent holding the chat closes it, or invites the client to close it. */
export function closeChat(deps: Deps, chatId: string, input: { agentId: string }): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const now = deps.clock.now();
    const delayMs = deps.config.closeInviteTimeoutMs;
    const expiresAt = new Date(now.getTime() + delayMs);
    const next = deps.config.agentsCanClose ? chat.close(state, now) : chat.inviteToClose(state, now, expiresAt);
    await requireAgent(q, input.agentId);
    assertChatAgent(state, input.agentId);
    if (next.status === 'closed') return finishClose(deps, q, row, next, 'agent');

    const saved = await saveState(q, row.id, next);
    const systemMessage = await addMessage(q, row.id, { from: 'system', text: CHAT_TEXTS.closeInvite }, now);
    const payload: CloseInviteTimeout = { chatId, invite: next.closeInvites };
    await enqueue(q, { queue: QUEUES.timers, name: CLOSE_INVITE_TIMEOUT_JOB, jobId: `close-invite:${chatId}:${next.closeInvites}`, payload: { ...payload }, delayMs });
    return {
      result: toChatView(saved),
      events: [{ type: 'close-invite', data: { action: 'sent', invite: next.closeInvites, expiresAt: expiresAt.toISOString(), status: saved.status, systemMessage } }, ...withdrawnTransfer(state, 'closing')],
      queuedJobs: true,
    };
  });
}

/** The client's answer: yes closes, no goes back to the conversation. */
export function answerCloseInvite(deps: Deps, chatId: string, accept: boolean): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const next = chat.answerCloseInvite(state, accept, deps.clock.now());
    if (next.status === 'closed') return finishClose(deps, q, row, next, 'client');
    const saved = await saveState(q, row.id, next);
    const systemMessage = await addMessage(q, row.id, { from: 'system', text: CHAT_TEXTS.closeInviteDeclined }, deps.clock.now());
    return { result: toChatView(saved), events: [{ type: 'close-invite', data: { action: 'declined', invite: state.closeInvites, status: saved.status, systemMessage } }] };
  });
}

/** Timer job: closes the chat only if it still waits on that same invitation. */
export async function expireCloseInvite(deps: Deps, job: CloseInviteTimeout): Promise<'closed' | 'stale'> {
  const out = await deps.db.tx(async (q) => {
    const row = await loadChat(q, job.chatId, true).catch((err) => {
      if (err instanceof NotFoundError) return undefined; // the chat was deleted: nothing to close
      throw err;
    });
    if (!row) return undefined;
    const next = chat.closeInviteExpired(toState(row), job.invite, deps.clock.now());
    return next ? finishClose(deps, q, row, next, 'timeout') : undefined;
  });
  if (!out) return 'stale';
  deps.relay.kick();
  await publishLive(deps, job.chatId, out.events);
  return 'closed';
}
