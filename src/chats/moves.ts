// Agents moving a chat through queues: accept it from its department's queue, or send it to a
// department's queue. Both respect departments: only an online agent of the chat's department
// takes it from the queue, and a chat waiting in a queue is moved only by an agent of that
// department (the agent holding a chat may send it to any department's queue).

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import * as chat from '../domain/chat-state.js';
import { assertChatAgent, assertInDepartment, assertOnline } from '../domain/chat-actors.js';
import { CHAT_TEXTS } from '../domain/chat-texts.js';
import { saveState, toState, type HostedChatRow } from '../store/chat-records.js';
import { addMessage } from '../store/chat-messages.js';
import { requireAgent, requireDepartment } from './actors.js';
import { agentTopic, departmentTopic, onChat, type LiveOut, type MoveOutcome } from './chat-change.js';
import { toChatView, type ChatView } from './view.js';

/** Saves the new state with its system line; `private` lines are for agents only. */
export async function commit(
  deps: Deps, q: Queryable, row: HostedChatRow, next: chat.ChatState, type: string, data: Record<string, unknown>,
  line: { text: string; private?: boolean }, feeds: LiveOut[] = [],
): Promise<MoveOutcome<ChatView>> {
  const saved = await saveState(q, row.id, next);
  const systemMessage = await addMessage(q, row.id, { from: 'system', text: line.text, private: line.private ?? false }, deps.clock.now());
  return { result: toChatView(saved), events: [{ type, data: { ...data, status: saved.status, systemMessage } }, ...feeds] };
}

/** The receiver of a transfer that a move withdrew is told on their feed. */
export function withdrawnTransfer(state: chat.ChatState, reason: string): LiveOut[] {
  return state.transferToAgentId ? [{ topic: agentTopic(state.transferToAgentId), type: 'transfer', data: { action: 'withdrawn', reason, fromAgentId: state.agentId, toAgentId: state.transferToAgentId } }] : [];
}

export function acceptFromQueue(deps: Deps, chatId: string, agentId: string): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const next = chat.accept(toState(row), agentId);
    const agent = await requireAgent(q, agentId);
    assertInDepartment(agent, row.department_id);
    assertOnline(agent);
    const data = { action: 'accepted', agentId, departmentId: row.department_id };
    return commit(deps, q, row, next, 'queue', data, { text: CHAT_TEXTS.accepted(agent.name) }, [
      { topic: departmentTopic(row.department_id), type: 'queue', data },
      { topic: agentTopic(agent.id), type: 'assigned', data: { agentId: agent.id, reason: 'accepted', departmentId: row.department_id } },
    ]);
  });
}

export function sendToQueue(deps: Deps, chatId: string, input: { agentId: string; departmentId: string }): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    const state = toState(row);
    const next = chat.sendToQueue(state, input.departmentId);
    const agent = await requireAgent(q, input.agentId);
    // A waiting chat belongs to its department's queue: only that department's agents move it.
    if (state.status === 'queued') assertInDepartment(agent, row.department_id);
    else assertChatAgent(state, agent.id);
    const department = await requireDepartment(q, input.departmentId);
    const data = { action: 'sent', fromDepartmentId: row.department_id, departmentId: department.id, fromAgentId: state.agentId, agentId: agent.id };
    const feeds: LiveOut[] = [{ topic: departmentTopic(department.id), type: 'queue', data: { ...data, action: 'queued' } }, ...withdrawnTransfer(state, 'queued')];
    if (state.status === 'queued' && row.department_id !== department.id) feeds.push({ topic: departmentTopic(row.department_id), type: 'queue', data: { ...data, action: 'left' } });
    return commit(deps, q, row, next, 'queue', data, { text: CHAT_TEXTS.sentToQueue(department.name) }, feeds);
  });
}
