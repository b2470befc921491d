// Transfers between agents (seed 001): the holder asks an online agent; the receiver accepts
// (the two then exchange private notes) and completes it ("Atender"), or declines; the sender
// may cancel; an unaccepted transfer returns to the sender after TRANSFER_TIMEOUT_MS (a delayed
// job written through the outbox). Both agents' feeds hear of every step.

import type { Deps } from '../deps.js';
import * as transfer from '../domain/chat-transfer.js';
import { assertChatAgent, assertOnline, assertOnlineReceiver, assertTransferTarget } from '../domain/chat-actors.js';
import { CHAT_TEXTS } from '../domain/chat-texts.js';
import { toState } from '../store/chat-records.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { NotFoundError } from '../errors.js';
import { requireAgent } from './actors.js';
import { agentTopic, loadChat, onChat, publishLive, type LiveOut } from './chat-change.js';
import { commit } from './moves.js';
import type { ChatView } from './view.js';

export const TRANSFER_TIMEOUT_JOB = 'transfer-timeout';
export interface TransferTimeout { chatId: string; transfer: number }

const feed = (agentId: string | null, type: string, data: Record<string, unknown>): LiveOut[] => (agentId ? [{ topic: agentTopic(agentId), type, data }] : []);

export function requestTransfer(deps: Deps, chatId: string, input: { agentId: string; toAgentId: string }): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + deps.config.transferTimeoutMs);
    const next = transfer.requestTransfer(state, input.toAgentId, now, expiresAt);
    const from = await requireAgent(q, input.agentId);
    assertChatAgent(state, from.id);
    const to = await requireAgent(q, input.toAgentId, 'toAgentId');
    assertOnlineReceiver(state, to);
    const timer: TransferTimeout = { chatId, transfer: next.transfers };
    await enqueue(q, { queue: QUEUES.timers, name: TRANSFER_TIMEOUT_JOB, jobId: `transfer:${chatId}:${next.transfers}`, payload: { ...timer }, delayMs: deps.config.transferTimeoutMs });
    const data = { action: 'requested', fromAgentId: from.id, toAgentId: to.id, expiresAt: expiresAt.toISOString() };
    const out = await commit(deps, q, row, next, 'transfer', data, { text: CHAT_TEXTS.transferRequested(from.name, to.name), private: true }, [
      ...feed(to.id, 'transfer', { ...data, departmentId: row.department_id, subject: row.subject, client: { name: row.client.name } }),
    ]);
    return { ...out, queuedJobs: true };
  });
}

/** The receiver accepts: from now on both agents write private notes; the sender still holds the chat. */
export function acceptTransfer(deps: Deps, chatId: string, agentId: string): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const next = transfer.acceptTransfer(state, deps.clock.now());
    const receiver = await requireAgent(q, agentId);
    assertTransferTarget(state, receiver.id);
    assertOnline(receiver);
    const data = { action: 'accepted', fromAgentId: state.agentId, toAgentId: receiver.id };
    return commit(deps, q, row, next, 'transfer', data, { text: CHAT_TEXTS.transferAccepted(receiver.name), private: true }, feed(state.agentId, 'transfer', data));
  });
}

/** "Atender": the receiver takes the chat over. */
export function completeTransfer(deps: Deps, chatId: string, agentId: string): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const next = transfer.completeTransfer(state);
    const receiver = await requireAgent(q, agentId);
    assertTransferTarget(state, receiver.id);
    assertOnline(receiver);
    const data = { action: 'completed', fromAgentId: state.agentId, toAgentId: receiver.id };
    return commit(deps, q, row, next, 'transfer', data, { text: CHAT_TEXTS.transferred(receiver.name) }, [
      ...feed(state.agentId, 'transfer', data),
      ...feed(receiver.id, 'assigned', { agentId: receiver.id, reason: 'transfer', fromAgentId: state.agentId }),
    ]);
  });
}

export function declineTransfer(deps: Deps, chatId: string, agentId: string): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const next = transfer.withdrawTransfer(state, 'decline the transfer');
    const receiver = await requireAgent(q, agentId);
    assertTransferTarget(state, receiver.id);
    const data = { action: 'declined', fromAgentId: state.agentId, toAgentId: receiver.id };
    return commit(deps, q, row, next, 'transfer', data, { text: CHAT_TEXTS.transferDeclined(receiver.name), private: true }, feed(state.agentId, 'transfer', data));
  });
}

/** The sender takes the request back before the receiver completes it. */
export function cancelTransfer(deps: Deps, chatId: string, agentId: string): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const next = transfer.withdrawTransfer(state, 'cancel the transfer');
    const sender = await requireAgent(q, agentId);
    assertChatAgent(state, sender.id);
    const receiver = await requireAgent(q, state.transferToAgentId!, 'transferToAgentId');
    const data = { action: 'cancelled', fromAgentId: sender.id, toAgentId: receiver.id };
    return commit(deps, q, row, next, 'transfer', data, { text: CHAT_TEXTS.transferCancelled(sender.name, receiver.name), private: true }, feed(receiver.id, 'transfer', data));
  });
}

/** Straight back to the agent who handed the chat over, who must be online. */
export function transferBack(deps: Deps, chatId: string, input: { agentId: string }): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const next = transfer.transferBack(state);
    await requireAgent(q, input.agentId);
    assertChatAgent(state, input.agentId);
    const back = await requireAgent(q, next.agentId!, 'transferBackToAgentId');
    assertOnline(back, 'transferBackToAgentId');
    const data = { action: 'back', fromAgentId: state.agentId, toAgentId: back.id };
    return commit(deps, q, row, next, 'transfer', data, { text: CHAT_TEXTS.transferredBack(back.name) }, feed(back.id, 'assigned', { agentId: back.id, reason: 'transfer-back', fromAgentId: state.agentId }));
  });
}

/** Timer job: an unaccepted transfer returns to the sender (a stale timer changes nothing). */
export async function expireTransfer(deps: Deps, job: TransferTimeout): Promise<'returned' | 'stale'> {
  const out = await deps.db.tx(async (q) => {
    const row = await loadChat(q, job.chatId, true).catch((err) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    if (!row) return undefined;
    const state = toState(row);
    const next = transfer.transferExpired(state, job.transfer);
    if (!next) return undefined;
    const sender = state.agentId ? (await requireAgent(q, state.agentId).catch(() => undefined))?.name ?? state.agentId : 'o agente';
    const receiver = (await requireAgent(q, state.transferToAgentId!).catch(() => undefined))?.name ?? state.transferToAgentId!;
    const data = { action: 'expired', fromAgentId: state.agentId, toAgentId: state.transferToAgentId };
    return commit(deps, q, row, next, 'transfer', data, { text: CHAT_TEXTS.transferExpired(receiver, sender), private: true }, [
      ...feed(state.agentId, 'transfer', data),
      ...feed(state.transferToAgentId, 'transfer', data),
    ]);
  });
  if (!out) return 'stale';
  await publishLive(deps, job.chatId, out.events);
  return 'returned';
}
