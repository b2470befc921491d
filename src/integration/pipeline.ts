// The pipeline a worker runs for one integration: lookups → opinion → map → validate →
// idempotent create (a retry finds by external reference first) → notify, each step resumable.

import type { Deps } from '../deps.js';
import type { CallContext, CaseRecord, ConnectorExchange, NotifyRecord, OpinionRecord } from '../connectors/contract.js';
import { ConnectorError } from '../errors.js';
import { checkLookupRules, type IntegrationRequest } from '../domain/integration-request.js';
import type { IntegrationRow } from '../store/integrations.js';
import { buildCaseRecord, nextContactOf, processUpdateOf, updatesSomething, type ChatFacts } from './case-record.js';

export interface StepContext extends CallContext {
  exchanges: ConnectorExchange[];
  /**
   * What the steps achieved (process number, opinion sent, notified), written with the run's
   * end in one statement, success or not. A run that dies before that redoes no ERP write:
   * every write is found first by the integration's external reference.
   */
  achieved: Partial<Pick<IntegrationRow, 'erp_process_number' | 'opinion' | 'notified_at'>>;
}

/**
 * Builds the neutral case record, checking the lookups again (the ERP may have changed). The
 * lookups run one after the other: a job holds one ERP slot (ERP_MAX_CONCURRENT), so one call.
 */
async function caseRecord(deps: Deps, row: IntegrationRow, chat: ChatFacts, ctx: StepContext): Promise<CaseRecord> {
  const req: IntegrationRequest = row.request;
  const client = await deps.lookups.client(req.clientCode, ctx);
  const product = (await deps.lookups.product(req.productId, ctx)) ?? null;
  const caseType = (await deps.lookups.caseType(req.caseTypeId, ctx)) ?? null;
  const linked = req.processNumber ? await deps.connector.getProcess(req.processNumber, ctx) : undefined;
  if (linked === null) throw ConnectorError.permanent('UNKNOWN_PROCESS', `processNumber: no ERP process ${req.processNumber}`);
  const nextContact = nextContactOf(req, linked);
  const user = nextContact?.userId ? (await deps.lookups.user(nextContact.userId, ctx)) ?? null : undefined;
  const center = req.responsibilityCenterId ? (await deps.lookups.responsibilityCenter(req.responsibilityCenterId, ctx)) ?? null : undefined;
  const users = req.notify?.spySystemLogins?.length ? await deps.lookups.users(ctx) : undefined;
  const problems = checkLookupRules({ ...req, nextContact }, { client, product, caseType, nextContactUser: user, responsibilityCenter: center, users, process: linked });
  if (req.priority && !nextContact?.userId) problems.push({ path: 'priority', message: 'priority needs a next-contact user' });
  if (problems.length) {
    const code = problems[0]!.path === 'productId' ? 'UNKNOWN_PRODUCT' : problems[0]!.path === 'clientCode' ? 'UNKNOWN_CLIENT' : 'LOOKUP_MISMATCH';
    throw ConnectorError.permanent(code, problems.map((p) => `${p.path}: ${p.message}`).join('; '), { details: problems });
  }
  return buildCaseRecord(row.id, req, chat, { caseType, process: linked });
}

/**
 * Whether an earlier run may have reached the ERP's create: any run but the first of a row never
 * replayed and never held. The claim counts the attempt before any ERP call, a held run gives its
 * attempt back but leaves its error code, and a replay counts itself, so only a first clean run
 * knows no case of its can exist.
 */
export function mayHaveCreated(row: Pick<IntegrationRow, 'attempts' | 'replays' | 'error_code'>): boolean {
  return row.attempts > 1 || row.replays > 0 || row.error_code != null;
}

async function createCaseStep(deps: Deps, row: IntegrationRow, chat: ChatFacts, ctx: StepContext): Promise<string> {
  const record = await caseRecord(deps, row, chat, ctx);
  // A retry after a crash between the ERP's create and our UPDATE must not create twice.
  const found = mayHaveCreated(row) ? await deps.connector.findCaseByExternalRef(row.id, ctx) : null;
  const number = found ?? (await deps.connector.createCase(record, ctx));
  Object.assign(ctx.achieved, { erp_process_number: number, opinion: record.opinion });
  return number;
}

/**
 * Notifies the recipients at most once: the notification carries the integration id as external
 * reference, and a run that finds it already on the process (a crash between the ERP's answer
 * and `notified_at`) only records it.
 */
async function notifyStep(deps: Deps, row: IntegrationRow, number: string, ctx: StepContext): Promise<void> {
  const notify = row.request.notify;
  if (!notify || ((notify.spySystemLogins?.length ?? 0) === 0 && (notify.emails?.length ?? 0) === 0) || row.notified_at) return;
  const record: NotifyRecord = { externalRef: row.id, processNumber: number, spySystemLogins: notify.spySystemLogins ?? [], emails: notify.emails ?? [] };
  if (!(await deps.connector.findNotification(number, row.id, ctx))) await deps.connector.notify(record, ctx);
  ctx.achieved.notified_at = new Date();
}

/** Adds `text` to an existing ERP process once: a retry finds its own external reference. */
async function addOpinionOnce(deps: Deps, row: IntegrationRow, number: string, text: string, ctx: StepContext): Promise<void> {
  const record: OpinionRecord = { externalRef: row.id, processNumber: number, text };
  if (!(await deps.connector.hasOpinion(number, row.id, ctx))) await deps.connector.addOpinion(record, ctx);
}

/**
 * With `processNumber` the chat is linked to that existing ERP case (seed 004), after the same
 * lookups and checks as a new case: its opinion is added there once, then the integration's own
 * fields (close with center, next contact, priority) are applied to the process. The process
 * number is recorded only after both, so a retry redoes what is missing (the update is
 * idempotent, the opinion found by its reference).
 */
async function linkStep(deps: Deps, row: IntegrationRow, chat: ChatFacts, ctx: StepContext): Promise<string> {
  const record = await caseRecord(deps, row, chat, ctx);
  const number = row.request.processNumber!;
  await addOpinionOnce(deps, row, number, record.opinion, ctx);
  const update = processUpdateOf(row.id, row.request);
  if (updatesSomething(update)) await deps.connector.updateProcess(update, ctx);
  Object.assign(ctx.achieved, { erp_process_number: number, opinion: record.opinion });
  return number;
}

/** Runs the remaining steps; returns the ERP process number. `chat`: what the opinion is built from, read with the claim. */
export async function runIntegration(deps: Deps, row: IntegrationRow, chat: ChatFacts, ctx: StepContext): Promise<string> {
  // A client's answer to a question return, added to the return's ERP process.
  if (row.kind === 'opinion') {
    const text = row.request.text ?? '';
    await addOpinionOnce(deps, row, row.request.processNumber!, text, ctx);
    Object.assign(ctx.achieved, { erp_process_number: row.request.processNumber!, opinion: text });
    return row.request.processNumber!;
  }
  const number = row.erp_process_number ?? (row.request.processNumber ? await linkStep(deps, row, chat, ctx) : await createCaseStep(deps, row, chat, ctx));
  await notifyStep(deps, row, number, ctx);
  return number;
}
