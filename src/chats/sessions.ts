// Finished sessions from an external helpdesk: the chat, its messages and its integrations
// written in one transaction; the same externalId again returns what exists, creating nothing.

import type { Deps } from '../deps.js';
import { checkRequest, normalizeRequest, rejectIfAny, writeIntegration } from '../integration/accept.js';
import type { IntegrationRequest } from '../domain/integration-request.js';
import { insertMessages, type ChatClient } from '../store/chats.js';
import { listChatIntegrations } from '../store/integrations.js';
import { ValidationError } from '../errors.js';
import { emitEvent } from '../events/emit.js';

export interface SessionInput {
  externalId: string;
  client: ChatClient & { email: string };
  agent: { id: string; name: string };
  departmentId: string;
  subject?: string;
  startedAt: string;
  closedAt: string;
  messages: Array<{ at: string; from: 'client' | 'agent' | 'system'; authorName?: string; text: string }>;
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

export async function ingestSession(deps: Deps, input: SessionInput): Promise<SessionResult> {
  const found = await existing(deps, input.externalId);
  if (found) return found;
  if (input.closedAt < input.startedAt) throw ValidationError.field('closedAt', 'must not be before startedAt');
  const requests = (input.integrations ?? []).map(normalizeRequest);
  const problems = [];
  for (const [i, req] of requests.entries()) {
    const earlier = requests.slice(0, i).map((r) => ({ multiple: Boolean(r.multiple), status: 'pending' }));
    problems.push(...(await checkRequest(deps, req, { chatStatus: 'closed', existing: earlier }, `integrations[${i}].`)));
  }
  rejectIfAny(problems);

  const result = await deps.db.tx(async (q) => {
    const { rows } = await q.query<{ id: string }>(
      `INSERT INTO chats (external_id, status, department_id, agent_id, last_agent_id, client, client_email, client_code, subject, advance_opinion, started_at, closed_at)
       VALUES ($1, 'closed', $2, $3, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (external_id) DO NOTHING RETURNING id`,
      [input.externalId, input.departmentId, input.agent.id, JSON.stringify(input.client), input.client.email.toLowerCase(), input.client.clientCode ? input.client.clientCode.padStart(6, '0') : null, input.subject ?? null, input.advanceOpinion ?? null, input.startedAt, input.closedAt],
    );
    const chatId = rows[0]?.id;
    if (!chatId) return undefined; // a concurrent post with the same externalId won
    await insertMessages(q, chatId, input.messages.map((m) => ({ at: m.at, sender: m.from, authorName: m.authorName ?? (m.from === 'agent' ? input.agent.name : m.from === 'client' ? input.client.name : null), agentId: m.from === 'agent' ? input.agent.id : null, text: m.text })));
    const integrations = [];
    for (const req of requests) integrations.push(await writeIntegration(q, deps, { chatId, kind: 'case', clientCode: req.clientCode, request: req }));
    await emitEvent(q, 'chat.closed', { chatId, externalId: input.externalId, clientCode: input.client.clientCode ?? null });
    return { created: true, chatId, integrations: integrations.map((i) => ({ id: i.id, status: i.status })) };
  });
  if (!result) return (await existing(deps, input.externalId))!;
  deps.relay.kick();
  return result;
}
