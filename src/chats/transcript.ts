// "Copy history": the client-visible messages of a chat, as text and as JSON.

import type { Deps } from '../deps.js';
import { transcriptText } from '../domain/opinion.js';
import { chatMessages, type ChatMessage } from '../store/chat-messages.js';
import { loadChat } from './chat-change.js';

export interface Transcript { chatId: string; text: string; messages: ChatMessage[] }

export async function chatTranscript(deps: Deps, chatId: string): Promise<Transcript> {
  await loadChat(deps.db, chatId);
  const messages = await chatMessages(deps.db, chatId, false);
  const text = transcriptText(messages.map((m) => ({ at: new Date(m.at), sender: m.from, authorName: m.authorName, text: m.text, private: m.private })));
  return { chatId, text, messages };
}
