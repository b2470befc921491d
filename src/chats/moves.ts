// Agents moving a chat: accept it from a queue, send it to another department's queue,
// transfer it to an online agent (who accepts or declines), or give it back to the last operator.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import * as chat from '../domain/chat-state.js';
import { assertChatAgent, assertInDepartment, assertOnlineReceiver, assertTransferTarget } from '../domain/chat-actors.js';
import { CHAT_TEXTS } from '../domain/chat-texts.js';
import { saveState, toState, type HostedChatRow } from '../store/chat-records.js';
import { addMessage } from '../store/chat-messages.js';
import { requireAgent, requireDepartment } from './actors.js';
import { onChat, type MoveOutcome } from './chat-change.js';
import { toChatView, type ChatView } from './view.js';

/** Saves the new state with its system line; `private` lines are for agents only. */
async function commit(deps: Deps, q: Queryable, row: HostedChatRow, next: chat.ChatState, type: string, data: Record<string, unknown>, line: { text: string; private?: boolean }): Promise<MoveOutcome<ChatView>> {
  const saved = await saveState(q, row.id, next);
  const systemMessage = await addMessage(q, row.id, { from: 'system', text: line.text, private: line.private ?? false }, deps.clock.now());
  return { result: toChatView(saved), events: [{ type, data: { ...data, status: saved.status, systemMessage } }] };
}

export function acceptFromQueue(deps: Deps, chatId: string, agentId: string): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const next = chat.accept(toState(row), agentId);
    const agent = await requireAgent(q, agentId);
    assertInDepartment(agent, row.department_id);
    return commit(deps, q, row, next, 'queue', { action: 'accepted', agentId, departmentId: row.department_id }, { text: CHAT_TEXTS.accepted(agent.name) });
  });
}

export function sendToQueue(deps: Deps, chatId: string, input: { agentId: string; departmentId: string }): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const next = chat.sendToQueue(state, input.departmentId);
    await requireAgent(q, input.agentId);
    if (state.status === 'active') assertChatAgent(state, input.agentId);
    const department = await requireDepartment(q, input.departmentId);
    const data = { action: 'sent', fromDepartmentId: row.department_id, departmentId: department.id, fromAgentId: state.agentId };
    return commit(deps, q, row, next, 'queue', data, { text: CHAT_TEXTS.sentToQueue(department.name) });
  });
}

export function requestTransfer(deps: Deps, chatId: string, input: { agentId: string; toAgentId: string }): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const next = chat.requestTransfer(state, input.toAgentId);
    const from = await requireAgent(q, input.agentId);
    assertChatAgent(state, from.id);
    const to = await requireAgent(q, input.toAgentId, 'toAgentId');
    assertOnlineReceiver(state, to);
    const data = { action: 'requested', fromAgentId: from.id, toAgentId: to.id };
    return commit(deps, q, row, next, 'transfer', data, { text: CHAT_TEXTS.transferRequested(from.name, to.name), private: true });
  });
}

export function answerTransfer(deps: Deps, chatId: string, input: { agentId: string; accept: boolean }): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const next = input.accept ? chat.acceptTransfer(state) : chat.declineTransfer(state);
    const receiver = await requireAgent(q, input.agentId);
    assertTransferTarget(state, receiver.id);
    const data = { action: input.accept ? 'accepted' : 'declined', fromAgentId: state.agentId, toAgentId: receiver.id };
    const line = input.accept ? { text: CHAT_TEXTS.transferred(receiver.name) } : { text: CHAT_TEXTS.transferDeclined(receiver.name), private: true };
    return commit(deps, q, row, next, 'transfer', data, line);
  });
}

/** Straight back to the last operator, who must be online (they handled this chat before). */
export function transferBack(deps: Deps, chatId: string, input: { agentId: string }): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const next = chat.transferBack(state);
    await requireAgent(q, input.agentId);
    assertChatAgent(state, input.agentId);
    const last = await requireAgent(q, next.agentId!, 'lastAgentId');
    assertOnlineReceiver(state, last, 'lastAgentId');
    const data = { action: 'back', fromAgentId: state.agentId, toAgentId: last.id };
    return commit(deps, q, row, next, 'transfer', data, { text: CHAT_TEXTS.transferredBack(last.name) });
  });
}
