// Runs one change of a chat: lock the row, apply the move in a transaction, then, after the
// commit, dispatch the jobs it queued and publish its live events (never before: a client must
// not see what a rollback would undo).

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { getChat } from '../store/chats.js';
import type { HostedChatRow } from '../store/chat-records.js';
import { NotFoundError } from '../errors.js';

export interface LiveOut {
  type: string;
  data: Record<string, unknown>;
  /** Where it is published: the chat's own topic unless an agent's or a department's feed. */
  topic?: string;
}

export interface MoveOutcome<T> {
  result: T;
  events: LiveOut[];
  /** The move wrote outbox jobs: kick the relay after commit. */
  queuedJobs?: boolean;
}

export const chatTopic = (chatId: string) => `chat:${chatId}`;
/** An agent's feed: incoming transfers, chats assigned to them, their returns' reminders. */
export const agentTopic = (agentId: string) => `agent:${agentId}`;
/** A department's queue changes, followed by the feeds of its agents. */
export const departmentTopic = (departmentId: string) => `department:${departmentId}`;

/** Publishes in order; a live-channel failure is logged, the committed change stands. */
export async function publishLive(deps: Deps, chatId: string, events: LiveOut[]): Promise<void> {
  for (const e of events) {
    try {
      await deps.live.publish(e.topic ?? chatTopic(chatId), e.type, { chatId, ...e.data });
    } catch (err) {
      deps.log.warn({ err, chatId, type: e.type }, 'live event not published');
    }
  }
}

export async function loadChat(q: Queryable, chatId: string, forUpdate = false): Promise<HostedChatRow> {
  const chat = (await getChat(q, chatId, forUpdate)) as HostedChatRow | undefined;
  if (!chat) throw new NotFoundError('chat', chatId);
  return chat;
}

export async function onChat<T>(deps: Deps, chatId: string, apply: (q: Queryable, chat: HostedChatRow) => Promise<MoveOutcome<T>>): Promise<T> {
  const out = await deps.db.tx(async (q) => apply(q, await loadChat(q, chatId, true)));
  if (out.queuedJobs) deps.relay.kick();
  await publishLive(deps, chatId, out.events);
  return out.result;
}
