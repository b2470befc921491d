// Private stays private on the chat screen: agents' notes and the hand-over lines are shown
// only to callers holding see_private_notes (the API key's profile, narrowed by the acting
// agent's), in the message list and in live streams alike.

import type { Deps } from '../deps.js';
import type { LiveEvent } from '../jobs/live.js';
import { accessOf, type Caller } from '../casework/access.js';

export async function seesPrivateNotes(deps: Deps, caller: Caller): Promise<boolean> {
  return (await accessOf(deps, caller)).permissions.has('see_private_notes');
}

const isPrivate = (m: unknown) => typeof m === 'object' && m !== null && (m as { private?: unknown }).private === true;

/** The event as a caller without see_private_notes sees it: private messages dropped, private system lines left out. */
export function withoutPrivateNotes(event: LiveEvent): LiveEvent | null {
  if (isPrivate(event.data.message)) return null;
  if (isPrivate(event.data.systemMessage)) {
    const { systemMessage: _hidden, ...data } = event.data;
    return { ...event, data };
  }
  return event;
}
