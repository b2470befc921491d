// Finished sessions from an external helpdesk: the chat, its messages and its integrations
// written in one statement; the same externalId again returns what exists, creating nothing.

import type { Deps } from '../deps.js';
import { randomUUID } from 'node:crypto';
import { checkRequest, integrationWrites, normalizeRequest, rejectIfAny } from '../integration/accept.js';
import { normalizeClientCode, type IntegrationRequest } from '../domain/integration-request.js';
import { insertMessagesStatement, type ChatClient } from '../store/chats.js';
import { runTogether, type Statement } from '../store/statement.js';
import type { Queryable } from '../store/db.js';
import { listChatIntegrations } from '../store/integrations.js';
import { ValidationError } from '../errors.js';
import { transcriptText } from '../domain/opinion.js';
import { eventStatement } from '../events/emit.js';
import { chatClosedData } from '../events/payloads.js';
import { forgottenSession, isForgottenSessionError } from '../store/forgotten-sessions.js';

export interface SessionInput {
  externalId: string;
  /** `POST /v1/sessions` requires the e-mail; a helpdesk contact may have only a phone. */
  client: ChatClient;
  agent: { id: string; name: string };
  departmentId: string;
  subject?: string;
  startedAt: string;
  closedAt: string;
  /** `private` lines (agents' internal notes) never reach transcripts, opinions or the client. */
  messages: Array<{ at: string; from: 'client' | 'agent' | 'system'; authorName?: string; text: string; private?: boolean }>;
  advanceOpinion?: string;
  integrations?: IntegrationRequest[];
}

export interface SessionResult {
  created: boolean;
  chatId: string;
  integrations: Array<{ id: string; status: string }>;
}

async function existing(deps: Deps, externalId: string): Promise<SessionResult | undefined> {
  const { rows } = await deps.db.query<{ id: string }>('SELECT id FROM chats WHERE external_id = $1', [externalId]);
  if (!rows[0]) return undefined;
  const integrations = await listChatIntegrations(deps.db, rows[0].id);
  return { created: false, chatId: rows[0].id, integrations: integrations.map((i) => ({ id: i.id, status: i.status })) };
}

export interface IngestOptions {
  /** Runs in the chat's transaction once it is written (helpdesk adapters link their conversation). */
  inTransaction?: (q: Queryable, chatId: string) => Promise<void>;
}

/** What the session writes, once every check passed (one 400 naming every bad field otherwise). */
async function checkedSession(deps: Deps, input: SessionInput) {
  if (input.closedAt < input.startedAt) throw ValidationError.field('closedAt', 'must not be before startedAt');
  const requests = (input.integrations ?? []).map(normalizeRequest);
  const messages = input.messages.map((m) => ({ at: m.at, sender: m.from, authorName: m.authorName ?? (m.from === 'agent' ? input.agent.name : m.from === 'client' ? input.client.name : null), agentId: m.from === 'agent' ? input.agent.id : null, text: m.text, private: m.private }));
  const chat = { advanceOpinion: input.advanceOpinion ?? null, transcript: transcriptText(messages.map((m) => ({ ...m, at: new Date(m.at) }))), clientName: input.client.name };
  const problems = [];
  for (const [i, req] of requests.entries()) {
    const earlier = requests.slice(0, i).map((r) => ({ multiple: Boolean(r.multiple), status: 'pending' }));
    problems.push(...(await checkRequest(deps, req, { chatStatus: 'closed', existing: earlier, chat }, `integrations[${i}].`)));
  }
  rejectIfAny(problems);
  return { requests, messages };
}

export async function ingestSession(deps: Deps, input: SessionInput, options: IngestOptions = {}): Promise<SessionResult> {
  // A new session is the common case, so it is checked and written without first looking its
  // externalId up; a repeat is answered with what exists when its checks fail (the ERP down, a
  // rule changed since) or when its insert meets the unique key — never created twice.
  let checked: Awaited<ReturnType<typeof checkedSession>>;
  try {
    checked = await checkedSession(deps, input);
  } catch (err) {
    const found = await existing(deps, input.externalId);
    if (found) return found;
    throw err;
  }
  const { requests, messages } = checked;

  // The chat, its messages, its integrations with their jobs and the chat.closed event: one
  // statement (src/store/statement.ts); a concurrent post with the same externalId makes it
  // fail whole on the unique key, and that post's chat is the answer.
  const chatId = randomUUID();
  const integrations = integrationWrites(deps, requests.map((req) => ({ chatId, kind: 'case' as const, clientCode: req.clientCode, request: req })));
  const closed = chatClosedData({ chatId, externalId: input.externalId, clientCode: input.client.clientCode ? normalizeClientCode(input.client.clientCode) : null, departmentId: input.departmentId, agentId: input.agent.id, reason: 'session', closedAt: input.closedAt });
  const parts: Statement[] = [
    {
      text: `INSERT INTO chats (id, external_id, status, department_id, agent_id, last_agent_id, client, client_email, client_code, subject, advance_opinion, started_at, closed_at)
       VALUES ($1, $2, 'closed', $3, $4, $4, $5, $6, $7, $8, $9, $10, $11)`,
      values: [chatId, input.externalId, input.departmentId, input.agent.id, JSON.stringify(input.client), input.client.email?.toLowerCase() ?? null, input.client.clientCode ? input.client.clientCode.padStart(6, '0') : null, input.subject ?? null, input.advanceOpinion ?? null, input.startedAt, input.closedAt],
    },
    ...(messages.length ? [insertMessagesStatement(chatId, messages)] : []),
    ...integrations.statements,
  ];
  const event = eventStatement('chat.closed', { ...closed });
  try {
    if (options.inTransaction) {
      // After the adapter's own rows: whether anyone receives the event may depend on them.
      await deps.db.tx(async (q) => {
        await runTogether(q, parts);
        await options.inTransaction!(q, chatId);
        await q.query(event.text, event.values);
      });
    } else {
      await runTogether(deps.db, [...parts, event]);
    }
  } catch (err) {
    if ((err as { code?: string; constraint?: string }).code === '23505' && (err as { constraint?: string }).constraint === 'chats_external_id_key') {
      return (await existing(deps, input.externalId))!;
    }
    if (isForgottenSessionError(err)) throw forgottenSession();
    throw err;
  }
  deps.relay.kick();
  return { created: true, chatId, integrations: integrations.ids.map((id) => ({ id, status: 'pending' })) };
}
