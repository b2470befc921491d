// What is written about a chat besides messages: the advance opinion (carried into the
// integration's opinion) and the client's satisfaction rating of a closed chat.

import type { Deps } from '../deps.js';
import { assertRatable } from '../domain/chat-state.js';
import { setAdvanceOpinion, setRating, toState } from '../store/chat-records.js';
import { onChat } from './chat-change.js';
import { toChatView, type ChatView } from './view.js';

/** Kept in any state: agents may still complete it after closing, before integrating. */
export function writeAdvanceOpinion(deps: Deps, chatId: string, text: string): Promise<ChatView> {
  return onChat(deps, chatId, async (q) => ({ result: toChatView(await setAdvanceOpinion(q, chatId, text)), events: [] }));
}

export function rateChat(deps: Deps, chatId: string, score: number): Promise<ChatView> {
  return onChat(deps, chatId, async (q, row) => {
    assertRatable(toState(row));
    const saved = await setRating(q, chatId, score);
    return { result: toChatView(saved), events: [{ type: 'rating', data: { score } }] };
  });
}
