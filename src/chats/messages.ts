// Messages of a hosted chat: the client's, the agent's (only the agent holding the chat) and
// system lines; and agents' private notes, which never reach the client's transcript.

import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { assertOpen, clientWrote } from '../domain/chat-state.js';
import { CHAT_TEXTS } from '../domain/chat-texts.js';
import { assertChatAgent, assertMayWriteNote } from '../domain/chat-actors.js';
import { saveState, toState } from '../store/chat-records.js';
import { addMessage, type ChatMessage } from '../store/chat-messages.js';
import { requireAgent } from './actors.js';
import { onChat, type LiveOut } from './chat-change.js';

export interface MessageInput {
  from: 'client' | 'agent' | 'system';
  text: string;
  agentId?: string;
  authorName?: string;
}

export async function postMessage(deps: Deps, chatId: string, input: MessageInput): Promise<ChatMessage> {
  return onChat(deps, chatId, async (q, chat) => {
    const state = toState(chat);
    assertOpen(state, 'send a message');
    let author = { authorName: input.authorName ?? null, agentId: null as string | null };
    if (input.from === 'agent') {
      if (!input.agentId) throw ValidationError.field('agentId', 'is required when from is agent');
      const agent = await requireAgent(q, input.agentId);
      assertChatAgent(state, agent.id);
      author = { authorName: agent.name, agentId: agent.id };
    } else if (input.agentId) {
      throw ValidationError.field('agentId', `only agent messages name an agent (from is ${input.from})`);
    } else if (input.from === 'client') {
      author.authorName ??= chat.client.name;
    }
    const now = deps.clock.now();
    const message = await addMessage(q, chatId, { from: input.from, text: input.text, ...author }, now);
    const events: LiveOut[] = [{ type: 'message', data: { message } }];
    // A client still writing during the close invitation is not done: the automatic close is off.
    if (input.from === 'client' && state.status === 'closing') {
      const saved = await saveState(q, chatId, clientWrote(state));
      const systemMessage = await addMessage(q, chatId, { from: 'system', text: CHAT_TEXTS.closeInviteCancelled }, now);
      events.push({ type: 'close-invite', data: { action: 'cancelled', invite: state.closeInvites, status: saved.status, systemMessage } });
    }
    return { result: message, events };
  });
}

/** Agent-only notes, e.g. the two agents' exchange while a chat is handed over. */
export async function postNote(deps: Deps, chatId: string, input: { agentId: string; text: string }): Promise<ChatMessage> {
  return onChat(deps, chatId, async (q, chat) => {
    const state = toState(chat);
    assertOpen(state, 'write a note');
    const agent = await requireAgent(q, input.agentId);
    assertMayWriteNote(state, agent.id);
    const message = await addMessage(q, chatId, { from: 'agent', text: input.text, authorName: agent.name, agentId: agent.id, private: true }, deps.clock.now());
    return { result: message, events: [{ type: 'message', data: { message } }] };
  });
}
