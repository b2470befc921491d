// Integration requests on a chat hosted by ponte, and the integration form's prefill.

import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { checkRequest, normalizeRequest, rejectIfAny, writeIntegration } from './accept.js';
import { checkFieldRules, type IntegrationRequest } from '../domain/integration-request.js';
import { getChat, listMessages } from '../store/chats.js';
import { listChatIntegrations, toView, type IntegrationView } from '../store/integrations.js';
import { prefillOpinion, transcriptText } from '../domain/opinion.js';
import { ConnectorError } from '../errors.js';

export async function requestIntegration(deps: Deps, chatId: string, body: IntegrationRequest): Promise<IntegrationView> {
  const chat = await getChat(deps.db, chatId);
  if (!chat) throw new NotFoundError('chat', chatId);
  const req = normalizeRequest(body);
  const before = await listChatIntegrations(deps.db, chatId);
  rejectIfAny(await checkRequest(deps, req, { chatStatus: chat.status, existing: before.map((i) => ({ multiple: Boolean(i.request.multiple), status: i.status })) }));
  const row = await deps.db.tx(async (q) => {
    // Serialize requests on one chat so two concurrent "first" integrations cannot both pass.
    const locked = await getChat(q, chatId, true);
    const now = await listChatIntegrations(q, chatId);
    const today = deps.clock.now().toISOString().slice(0, 10);
    rejectIfAny(checkFieldRules(req, { chatStatus: locked!.status, today, existing: now.map((i) => ({ multiple: Boolean(i.request.multiple), status: i.status })) }));
    return writeIntegration(q, deps, { chatId, kind: 'case', clientCode: req.clientCode, request: req });
  });
  deps.relay.kick();
  return toView(row);
}

async function orEmpty<T>(p: Promise<T[]>): Promise<{ items: T[]; error?: { code: string; message: string } }> {
  try {
    return { items: await p };
  } catch (err) {
    if (err instanceof ConnectorError) return { items: [], error: { code: err.code, message: err.message } };
    throw err;
  }
}

/** What the integration screen needs: prefilled fields and the ERP's option lists. */
export async function integrationForm(deps: Deps, chatId: string) {
  const chat = await getChat(deps.db, chatId);
  if (!chat) throw new NotFoundError('chat', chatId);
  const transcript = transcriptText(await listMessages(deps.db, chatId, false));
  const clientCode = chat.client_code ?? chat.client.clientCode ?? null;
  const client = clientCode ? await deps.lookups.client(clientCode).catch(() => null) : null;
  const [products, caseTypes, users, responsibilityCenters] = await Promise.all([
    orEmpty(deps.lookups.products()),
    orEmpty(deps.lookups.caseTypes()),
    orEmpty(deps.lookups.users()),
    orEmpty(deps.lookups.responsibilityCenters()),
  ]);
  const integrations = await listChatIntegrations(deps.db, chatId);
  const lookupErrors = [products, caseTypes, users, responsibilityCenters].map((l) => l.error).filter(Boolean);
  return {
    chatId,
    available: chat.status === 'closed',
    chatStatus: chat.status,
    prefill: {
      clientCode,
      companyName: client?.companyName ?? chat.client.companyName ?? null,
      contactPerson: chat.client.name,
      subject: chat.subject,
      opinion: prefillOpinion(chat.advance_opinion, transcript),
      advanceOpinion: chat.advance_opinion,
      transcript,
    },
    options: {
      products: products.items.filter((p) => p.active),
      caseTypes: caseTypes.items,
      users: users.items,
      responsibilityCenters: responsibilityCenters.items,
    },
    existingIntegrations: integrations.map(toView),
    lookupErrors,
  };
}
