// Integration requests on a chat hosted by ponte, and the integration form's prefill.

import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { chatFacts, checkRequest, normalizeRequest, rejectIfAny, today, writeIntegration } from './accept.js';
import { checkFieldRules, type IntegrationRequest } from '../domain/integration-request.js';
import { getChat } from '../store/chats.js';
import { listChatIntegrations, toView, type IntegrationView } from '../store/integrations.js';
import { ConnectorError, PonteError } from '../errors.js';
import { normalizeClientCode } from '../domain/integration-request.js';
import type { ErpProcess, ErpUser } from '../connectors/contract.js';
import { nextContactOf, opinionOf } from './case-record.js';

export async function requestIntegration(deps: Deps, chatId: string, body: IntegrationRequest): Promise<IntegrationView> {
  const chat = await getChat(deps.db, chatId);
  if (!chat) throw new NotFoundError('chat', chatId);
  const req = normalizeRequest(body);
  const before = await listChatIntegrations(deps.db, chatId);
  const facts = await chatFacts(deps.db, chatId);
  rejectIfAny(await checkRequest(deps, req, { chatStatus: chat.status, existing: before.map((i) => ({ multiple: Boolean(i.request.multiple), status: i.status })), chat: facts }));
  const row = await deps.db.tx(async (q) => {
    // Serialize requests on one chat so two concurrent "first" integrations cannot both pass.
    const locked = await getChat(q, chatId, true);
    const now = await listChatIntegrations(q, chatId);
    rejectIfAny(checkFieldRules(req, { chatStatus: locked!.status, today: today(deps), existing: now.map((i) => ({ multiple: Boolean(i.request.multiple), status: i.status })) }));
    return writeIntegration(q, deps, { chatId, kind: 'case', clientCode: req.clientCode, request: req });
  });
  deps.relay.kick();
  return toView(row);
}

/** The form must not hang on a slow ERP: after this, a list is shown empty with its error. */
const FORM_BUDGET_MS = 3000;

async function bounded<T>(p: Promise<T>, fallback: T): Promise<{ value: T; error?: { code: string; message: string } }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(ConnectorError.transient('ERP_TIMEOUT', `the ERP did not answer within ${FORM_BUDGET_MS} ms`)), FORM_BUDGET_MS);
  });
  try {
    return { value: await Promise.race([p, late]) };
  } catch (err) {
    if (err instanceof ConnectorError) return { value: fallback, error: { code: err.code, message: err.message } };
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** The linked process as the form shows it: situation, next contact and its user. */
function processView(process: ErpProcess, users: ErpUser[]) {
  const user = process.nextContactUserId ? users.find((u) => u.id === process.nextContactUserId) : undefined;
  return {
    number: process.number,
    status: process.status,
    nextContact: {
      date: process.nextContactDate?.slice(0, 10) ?? null,
      userId: process.nextContactUserId ?? null,
      userName: user?.name ?? null,
    },
  };
}

/**
 * What the integration screen needs: prefilled fields and the ERP's option lists. The prefill
 * is built by the same functions as the record the worker sends (src/integration/case-record.ts);
 * with `processNumber`, that process and the next contact it fills in.
 */
export async function integrationForm(deps: Deps, chatId: string, query: { processNumber?: string } = {}) {
  const chat = await getChat(deps.db, chatId);
  if (!chat) throw new NotFoundError('chat', chatId);
  const facts = await chatFacts(deps.db, chatId);
  const clientCode = chat.client_code ?? (chat.client.clientCode ? normalizeClientCode(chat.client.clientCode) : null);
  const [client, products, caseTypes, users, responsibilityCenters, linked] = await Promise.all([
    clientCode ? bounded(deps.lookups.client(clientCode), null) : Promise.resolve({ value: null }),
    bounded(deps.lookups.products(), []),
    bounded(deps.lookups.caseTypes(), []),
    bounded(deps.lookups.users(), []),
    bounded(deps.lookups.responsibilityCenters(), []),
    query.processNumber ? bounded(deps.lookups.process(query.processNumber), undefined) : Promise.resolve({ value: undefined }),
  ]);
  if (linked.value === null) {
    throw new PonteError('NOT_FOUND', `no ERP process ${query.processNumber}`, { status: 404, details: [{ path: 'processNumber', message: `no ERP process ${query.processNumber}` }] });
  }
  const integrations = await listChatIntegrations(deps.db, chatId);
  const lookupErrors = [client, products, caseTypes, users, responsibilityCenters, linked].map((l) => ('error' in l ? l.error : undefined)).filter(Boolean);
  // Blank request: what the worker would send when the agent adds nothing of their own.
  const blank = { clientCode: clientCode ?? '', productId: '', caseTypeId: '', closeCase: false, subject: chat.subject ?? '', processNumber: query.processNumber };
  return {
    chatId,
    available: chat.status === 'closed',
    chatStatus: chat.status,
    process: linked.value ? processView(linked.value, users.value) : null,
    prefill: {
      clientCode,
      companyName: client.value?.companyName ?? chat.client.companyName ?? null,
      contactPerson: chat.client.name,
      subject: chat.subject,
      processNumber: query.processNumber ?? null,
      nextContact: nextContactOf(blank, linked.value) ?? null,
      opinion: opinionOf(blank, facts),
      opinionWhenMultiple: opinionOf({ ...blank, multiple: true }, facts),
      advanceOpinion: chat.advance_opinion,
      transcript: facts.transcript,
    },
    options: {
      products: products.value.filter((p) => p.active),
      caseTypes: caseTypes.value,
      users: users.value,
      responsibilityCenters: responsibilityCenters.value,
    },
    existingIntegrations: integrations.map(toView),
    lookupErrors,
  };
}
