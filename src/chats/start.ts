// A client starts a chat: it waits in the chosen department's queue until an agent accepts it;
// meanwhile ponte asks the ERP for the client's markers, so the agent sees the alert on accepting.

import type { Deps } from '../deps.js';
import type { ChatClient } from '../store/chats.js';
import { insertChat } from '../store/chat-records.js';
import { normalizeClientCode } from '../domain/integration-request.js';
import { requireDepartment } from './actors.js';
import { departmentTopic, publishLive } from './chat-change.js';
import { toChatView, type ChatView } from './view.js';
import { pullClientFacts } from './client-facts.js';

export interface ChatStartInput {
  client: ChatClient & { email: string };
  departmentId: string;
  subject?: string;
}

export async function startChat(deps: Deps, input: ChatStartInput): Promise<ChatView> {
  const clientCode = input.client.clientCode ? normalizeClientCode(input.client.clientCode) : null;
  const client: ChatClient = { ...input.client, ...(clientCode ? { clientCode } : {}) };
  const row = await deps.db.tx(async (q) => {
    await requireDepartment(q, input.departmentId);
    return insertChat(q, {
      departmentId: input.departmentId,
      client,
      clientEmail: input.client.email.toLowerCase(),
      clientCode,
      subject: input.subject ?? null,
      startedAt: deps.clock.now(),
    });
  });
  const queued = { action: 'queued', departmentId: row.department_id, status: row.status };
  await publishLive(deps, row.id, [{ type: 'queue', data: queued }, { topic: departmentTopic(row.department_id), type: 'queue', data: { ...queued, subject: row.subject, client: { name: row.client.name } } }]);
  // Not awaited: the client's chat must not wait on the ERP (the pull logs its own failures).
  if (clientCode) void pullClientFacts(deps, clientCode);
  return toChatView(row);
}
