// Remote access from a chat (seed 001 "Criar remoto e visualizar seus estados"): the agent
// holding an active chat asks for a session; a queued job has the provider create it; its
// state then changes by pull or push. Every change is stored, shown and posted in the chat.

import type { Deps } from '../../deps.js';
import type { Queryable } from '../../store/db.js';
import { enqueue } from '../../jobs/outbox.js';
import { QUEUES } from '../../jobs/queues.js';
import { IllegalChatMove } from '../../domain/chat-state.js';
import { assertChatAgent } from '../../domain/chat-actors.js';
import { toState } from '../../store/chat-records.js';
import { addMessage } from '../../store/chat-messages.js';
import { NotFoundError } from '../../errors.js';
import { requireAgent } from '../../chats/actors.js';
import { loadChat, onChat, publishLive, type LiveOut } from '../../chats/chat-change.js';
import type { RemoteState } from '../contracts.js';
import { nextRemoteState, remoteStateText } from './states.js';
import type { PageRequest } from '../../store/keyset.js';
import {
  chatRemoteSessions, insertRemoteSession, lockRemoteSession, recordState, remoteSessionIdOf, remoteSessionView, updateRemoteSession,
  type RemoteSessionRow, type RemoteSessionView,
} from './store.js';

export const REMOTE_CREATE_JOB = 'remote-session.create';
export const REMOTE_SESSION_EVENT = 'remote-session';

export async function requestRemoteSession(deps: Deps, chatId: string, agentId: string): Promise<RemoteSessionView> {
  return onChat(deps, chatId, async (q, chat) => {
    const state = toState(chat);
    if (state.status !== 'active') throw new IllegalChatMove('create a remote-access session', state.status, ['active']);
    const agent = await requireAgent(q, agentId);
    assertChatAgent(state, agent.id);
    const id = await insertRemoteSession(q, { chatId, agentId: agent.id, provider: 'remote-access' });
    // The provider is called by a job, never in the request: it retries, and the chat stays fast.
    await enqueue(q, { queue: QUEUES.tools, name: REMOTE_CREATE_JOB, jobId: id, payload: { sessionId: id } });
    const session = await remoteSessionView(q, id);
    return { result: session, events: [{ type: REMOTE_SESSION_EVENT, data: { session } }], queuedJobs: true };
  });
}

export async function remoteSessionsOfChat(deps: Deps, chatId: string, page: PageRequest): Promise<{ items: RemoteSessionView[]; nextCursor: string | null }> {
  await loadChat(deps.db, chatId);
  return chatRemoteSessions(deps.db, chatId, page);
}

export interface SessionChange {
  /** The new state; absent when only fields change (the provider created the session). */
  state?: RemoteState;
  /** Fields to write besides the state. */
  fields?: Parameters<typeof updateRemoteSession>[2];
  /** The system line posted in the chat. */
  text: string;
}

/**
 * Writes one change of a session (row, history line when the state moved, system message) in a
 * transaction on the locked row, then publishes the session and the message live. `decide` sees
 * the locked row and returns null when there is nothing to change.
 */
export async function changeRemoteSession(
  deps: Deps,
  sessionId: string,
  decide: (row: RemoteSessionRow) => SessionChange | null,
): Promise<RemoteSessionView | null> {
  const out = await deps.db.tx(async (q: Queryable) => {
    const row = await lockRemoteSession(q, sessionId);
    if (!row) return null;
    const change = decide(row);
    if (!change) return null;
    const moved = change.state && change.state !== row.state;
    await updateRemoteSession(q, row.id, { ...change.fields, ...(moved ? { state: change.state } : {}) });
    if (moved) await recordState(q, row.id, change.state!);
    const message = await addMessage(q, row.chat_id, { from: 'system', text: change.text }, deps.clock.now());
    const session = await remoteSessionView(q, row.id);
    const events: LiveOut[] = [{ type: REMOTE_SESSION_EVENT, data: { session } }, { type: 'message', data: { message } }];
    return { session, events };
  });
  if (!out) return null;
  await publishLive(deps, out.session.chatId, out.events);
  return out.session;
}

/** The provider reported `reported` (pull or push); a stale or repeated report changes nothing. */
export function applyReportedState(deps: Deps, sessionId: string, reported: RemoteState, reason?: string): Promise<RemoteSessionView | null> {
  return changeRemoteSession(deps, sessionId, (row) => {
    const next = nextRemoteState(row.state, reported);
    if (!next) return null;
    const error = next === 'failed' ? { code: 'REMOTE_SESSION_FAILED', message: reason ?? 'the remote-access provider reported the session as failed' } : undefined;
    return {
      state: next,
      fields: error ? { error_code: error.code, error_message: error.message } : {},
      text: remoteStateText(next, error),
    };
  });
}

/** A state pushed by the provider for its session id; says whether it changed anything. */
export async function pushRemoteState(deps: Deps, providerSessionId: string, state: RemoteState, reason?: string): Promise<{ changed: boolean; session: RemoteSessionView }> {
  const id = await remoteSessionIdOf(deps.db, providerSessionId);
  if (!id) throw new NotFoundError('remote-access session', providerSessionId);
  const changed = await applyReportedState(deps, id, state, reason);
  return { changed: changed !== null, session: changed ?? (await remoteSessionView(deps.db, id)) };
}
