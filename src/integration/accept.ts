// Accepting integration requests: everything that can be known when the helpdesk posts is
// checked then (seed 004's field rules, the ERP's lists, the opinion that will be sent, the
// mapped payload against the connector's schema), and the row is written in the caller's
// transaction with its outbox job (dispatched after commit).

import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { ConnectorError, PonteError, ValidationError, type ErrorDetail } from '../errors.js';
import {
  checkFieldRules, checkLookupRules, normalizeClientCode, type ExistingIntegration, type IntegrationRequest, type LookupFacts,
} from '../domain/integration-request.js';
import { saoPauloDate } from '../domain/sao-paulo-time.js';
import { transcriptText } from '../domain/opinion.js';
import { insertIntegration, insertIntegrationsStatement, type IntegrationRow } from '../store/integrations.js';
import type { Statement } from '../store/statement.js';
import { chatOpinionSources, type OpinionSources } from '../store/chats.js';
import { enqueue, enqueueAllStatement } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { buildCaseRecord, CASE_RECORD_SOURCES, PROCESS_UPDATE_SOURCES, presentFields, processUpdateOf, updatesSomething, type ChatFacts } from './case-record.js';
import type { CaseRecord } from '../connectors/contract.js';
import { payloadProblems } from './dry-run.js';

/** How long an accept waits for the ERP's lists before deferring those checks to the worker. */
const LOOKUP_BUDGET_MS = 2000;
/** The external reference of the dry-run payload: a real one is an integration id of the same shape. */
const DRY_RUN_REF = '00000000-0000-4000-8000-000000000000';

/**
 * A fact the ERP cannot give in time stays undefined (checked again by the worker); an answer that
 * does not fit the connector's mapping cannot succeed later either: 502 ERP_CONTRACT_MISMATCH.
 */
function settle<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then(resolve, (err) => {
      if (err instanceof ConnectorError && err.code === 'CONNECTOR_CONTRACT_MISMATCH') {
        reject(new PonteError('ERP_CONTRACT_MISMATCH', `the ERP's answer does not fit the connector's mapping: ${err.message}`, { status: 502, details: err.details }));
      } else if (err instanceof ConnectorError) resolve(undefined);
      else reject(err);
    }).finally(() => clearTimeout(t));
  });
}

const orNull = <T>(p: Promise<T | undefined>): Promise<T | null> => p.then((v) => v ?? null);

/** Looks up what the rules need, all at once, each within the budget. */
export async function lookupFacts(deps: Deps, req: IntegrationRequest, budgetMs = LOOKUP_BUDGET_MS): Promise<LookupFacts & Parameters<typeof buildCaseRecord>[3]> {
  const l = deps.lookups;
  const none = Promise.resolve(undefined);
  const [client, product, caseType, user, center, users, process] = await Promise.all([
    settle(l.client(normalizeClientCode(req.clientCode)), budgetMs),
    settle(orNull(l.product(req.productId)), budgetMs),
    settle(orNull(l.caseType(req.caseTypeId)), budgetMs),
    req.nextContact?.userId ? settle(orNull(l.user(req.nextContact.userId)), budgetMs) : none,
    req.responsibilityCenterId ? settle(orNull(l.responsibilityCenter(req.responsibilityCenterId)), budgetMs) : none,
    req.notify?.spySystemLogins?.length ? settle(l.users(), budgetMs) : none,
    req.processNumber ? settle(l.process(req.processNumber), budgetMs) : none,
  ]);
  return { client, product, caseType, nextContactUser: user, responsibilityCenter: center, users, process };
}

export interface AcceptContext {
  chatStatus: string;
  existing: ExistingIntegration[];
  chat: ChatFacts;
}

/** The chat's part of an integration, from its opinion sources (none: a chat no longer there). */
export function factsOf(chat: OpinionSources | undefined): ChatFacts {
  return {
    advanceOpinion: chat?.advanceOpinion ?? null,
    transcript: chat ? transcriptText(chat.messages) : '',
    clientName: chat?.clientName ?? null,
  };
}

/** The chat's part of an integration, from the store. */
export async function chatFacts(q: Queryable, chatId: string, options: { transcript?: boolean } = {}): Promise<ChatFacts> {
  return factsOf(await chatOpinionSources(q, chatId, options.transcript ?? true));
}

/** Today for next-contact dates: the calendar day in São Paulo. */
export function today(deps: Pick<Deps, 'clock'>): string {
  return saoPauloDate(deps.clock.now());
}

/** Every problem the request shows now, named by its field (paths under `prefix`). */
export async function checkRequest(deps: Deps, req: IntegrationRequest, ctx: AcceptContext, prefix = ''): Promise<ErrorDetail[]> {
  const problems = checkFieldRules(req, { chatStatus: ctx.chatStatus, existing: ctx.existing, today: today(deps) }, prefix);
  const facts = await lookupFacts(deps, req);
  problems.push(...checkLookupRules(req, facts, prefix));
  const record = buildCaseRecord(DRY_RUN_REF, req, ctx.chat, facts);
  if (!record.opinion) {
    problems.push({
      path: `${prefix}opinion`,
      message: req.multiple
        ? 'the opinion sent to the ERP would be empty: with multiple, give opinion or historyExcerpt, choose a standardOpinionId, or write the advance opinion'
        : 'the opinion sent to the ERP would be empty (no advance opinion, no message in the chat): give opinion or choose a standardOpinionId',
    });
  }
  // A field already refused by a rule is not named again by the payload it would have made.
  const named = new Set(problems.map((p) => p.path));
  const writes = (await writeProblems(deps, req, record, prefix)).filter((p) => !named.has(p.path) && Boolean(named.add(p.path)));
  return [...problems, ...writes];
}

/**
 * The writes this request will make, dry-run: a new case, or (linking to a process) the opinion
 * added to it and the update of its fields. A field the connector declares it cannot apply is
 * refused now rather than dropped later.
 */
async function writeProblems(deps: Deps, req: IntegrationRequest, record: CaseRecord, prefix: string): Promise<ErrorDetail[]> {
  const { cannotApply } = deps.connector.capabilities;
  const refuse = (call: string, fields: string[], sources: Record<string, string>) =>
    fields.filter((f) => cannotApply[call as keyof typeof cannotApply]?.includes(f) && sources[f]).map((f) => ({
      path: `${prefix}${sources[f]}`,
      message: `the ERP connector (${deps.connector.name}) cannot apply ${sources[f]} ${call === 'updateProcess' ? 'to an existing process' : 'to a new case'}: leave it out`,
    }));
  if (!req.processNumber) {
    return [
      ...refuse('createCase', presentFields(record), CASE_RECORD_SOURCES),
      ...(await payloadProblems(deps.connector, 'createCase', record, CASE_RECORD_SOURCES, prefix)),
    ];
  }
  const update = processUpdateOf(DRY_RUN_REF, req);
  return [
    ...refuse('updateProcess', presentFields(update), PROCESS_UPDATE_SOURCES),
    ...(await payloadProblems(deps.connector, 'addOpinion', { externalRef: DRY_RUN_REF, processNumber: req.processNumber, text: record.opinion }, { text: 'opinion', processNumber: 'processNumber' }, prefix)),
    ...(updatesSomething(update) ? await payloadProblems(deps.connector, 'updateProcess', update, PROCESS_UPDATE_SOURCES, prefix) : []),
  ];
}

export function rejectIfAny(problems: ErrorDetail[]): void {
  if (problems.length === 0) return;
  throw new ValidationError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems, 'INTEGRATION_RULES');
}

/** Inserts the integration and its job inside the caller's transaction. */
export async function writeIntegration(
  q: Queryable,
  deps: Deps,
  row: { chatId?: string; returnId?: string; kind: 'case' | 'opinion'; clientCode?: string; request: object },
): Promise<IntegrationRow> {
  const integration = await insertIntegration(q, { ...row, connector: deps.connector.name });
  await enqueue(q, { queue: QUEUES.integrations, name: 'run', jobId: integration.id, payload: { integrationId: integration.id } });
  return integration;
}

/**
 * New integrations and their jobs as two statements, ids chosen here, to be sent with the change
 * that causes them (src/store/statement.ts): a session's chat, messages and integrations in one.
 */
export function integrationWrites(deps: Deps, rows: Array<{ chatId?: string; returnId?: string; kind: 'case' | 'opinion'; clientCode?: string; request: object }>): { statements: Statement[]; ids: string[] } {
  if (rows.length === 0) return { statements: [], ids: [] };
  const withIds = rows.map((r) => ({ ...r, id: randomUUID(), connector: deps.connector.name }));
  const jobs = withIds.map((r) => ({ queue: QUEUES.integrations, name: 'run', jobId: r.id, payload: { integrationId: r.id } }));
  return { statements: [insertIntegrationsStatement(withIds), enqueueAllStatement(jobs)], ids: withIds.map((r) => r.id) };
}

export function normalizeRequest(req: IntegrationRequest): IntegrationRequest {
  return { ...req, multiple: req.multiple ?? false, clientCode: normalizeClientCode(req.clientCode) };
}
