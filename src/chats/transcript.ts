// "Copy history": the client-visible messages of a chat, as text and as JSON.

import type { Deps } from '../deps.js';
import { transcriptText } from '../domain/opinion.js';
import { chatMessages, type ChatMessage } from '../store/chat-messages.js';
import { loadChat } from './chat-change.js';

export interface Transcript { chatId: string; text: string; messages: ChatMessage[] }

/** `hideClient`: the client's name is left out (a caller without view_client_data). */
export async function chatTranscript(deps: Deps, chatId: string, options: { hideClient?: boolean } = {}): Promise<Transcript> {
  await loadChat(deps.db, chatId);
  const messages = (await chatMessages(deps.db, chatId, false)).map((m) => (options.hideClient && m.from === 'client' ? { ...m, authorName: null } : m));
  const text = transcriptText(messages.map((m) => ({ at: new Date(m.at), sender: m.from, authorName: m.authorName, text: m.text, private: m.private })));
  return { chatId, text, messages };
}
