// The pipeline a worker runs for one integration: lookups → opinion → map → validate →
// idempotent create (find by external reference first) → notify, each step resumable.

import type { Deps } from '../deps.js';
import type { CallContext, CaseRecord, ConnectorExchange, NotifyRecord, OpinionRecord } from '../connectors/contract.js';
import { ConnectorError } from '../errors.js';
import { buildOpinion, transcriptText } from '../domain/opinion.js';
import { checkLookupRules, type IntegrationRequest } from '../domain/integration-request.js';
import { updateIntegration, type IntegrationRow } from '../store/integrations.js';
import { getChat, listMessages } from '../store/chats.js';

export interface StepContext extends CallContext {
  exchanges: ConnectorExchange[];
}

async function mapped(deps: Deps, operation: 'createCase' | 'addOpinion' | 'notify', record: object): Promise<Record<string, unknown>> {
  const payload = await deps.mappings.apply(operation, record);
  const problems = deps.payloads.validate(deps.connector.name, operation, payload);
  if (problems.length) {
    throw ConnectorError.permanent('PAYLOAD_INVALID', `the ${operation} payload does not match its schema: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, { details: problems });
  }
  return payload;
}

/** Builds the neutral case record, checking the lookups again (the ERP may have changed). */
async function caseRecord(deps: Deps, row: IntegrationRow, ctx: StepContext): Promise<CaseRecord> {
  const req: IntegrationRequest = row.request;
  const [client, product, caseType] = await Promise.all([
    deps.lookups.client(req.clientCode, ctx),
    deps.lookups.product(req.productId, ctx),
    deps.lookups.caseType(req.caseTypeId, ctx),
  ]);
  const nextContact = { ...req.nextContact };
  if (req.processNumber) {
    const process = await deps.connector.getProcess(req.processNumber, ctx);
    if (!process) throw ConnectorError.permanent('UNKNOWN_PROCESS', `processNumber: no ERP process ${req.processNumber}`);
    if (!req.closeCase) {
      nextContact.userId ??= process.nextContactUserId;
      nextContact.date ??= process.nextContactDate?.slice(0, 10);
    }
  }
  const user = nextContact.userId ? await deps.lookups.user(nextContact.userId, ctx) : undefined;
  const center = req.responsibilityCenterId ? await deps.lookups.responsibilityCenter(req.responsibilityCenterId, ctx) : undefined;
  const problems = checkLookupRules(
    { ...req, nextContact },
    { client, product: product ?? null, caseType: caseType ?? null, nextContactUser: nextContact.userId ? user ?? null : undefined, responsibilityCenter: req.responsibilityCenterId ? center ?? null : undefined },
  );
  if (req.priority && !nextContact.userId) problems.push({ path: 'priority', message: 'priority needs a next-contact user' });
  if (problems.length) {
    const code = problems[0]!.path === 'productId' ? 'UNKNOWN_PRODUCT' : problems[0]!.path === 'clientCode' ? 'UNKNOWN_CLIENT' : 'LOOKUP_MISMATCH';
    throw ConnectorError.permanent(code, problems.map((p) => `${p.path}: ${p.message}`).join('; '), { details: problems });
  }
  const standardText = req.standardOpinionId ? caseType!.standardOpinions.find((o) => o.id === req.standardOpinionId)?.text : undefined;
  const chat = row.chat_id ? await getChat(deps.db, row.chat_id) : undefined;
  const transcript = row.chat_id && !req.multiple && req.opinion === undefined ? transcriptText(await listMessages(deps.db, row.chat_id, false)) : '';
  const opinion = buildOpinion({ multiple: Boolean(req.multiple), advanceOpinion: chat?.advance_opinion, transcript, opinion: req.opinion, historyExcerpt: req.historyExcerpt, standardText });
  return {
    externalRef: row.id,
    clientCode: req.clientCode,
    processNumber: req.processNumber,
    productId: req.productId,
    caseTypeId: req.caseTypeId,
    subject: req.subject,
    opinion,
    contactPerson: req.contactPerson ?? chat?.client.name,
    closeCase: req.closeCase,
    responsibilityCenterId: req.responsibilityCenterId,
    nextContact: nextContact.userId || nextContact.date ? nextContact : undefined,
    priority: Boolean(req.priority),
  } as CaseRecord;
}

async function createCaseStep(deps: Deps, row: IntegrationRow, ctx: StepContext): Promise<string> {
  const record = await caseRecord(deps, row, ctx);
  const payload = await mapped(deps, 'createCase', record);
  // A retry after a crash between the ERP's create and our UPDATE must not create twice.
  const number = (await deps.connector.findCaseByExternalRef(row.id, ctx)) ?? (await deps.connector.createCase(payload, ctx));
  await updateIntegration(deps.db, row.id, { erp_process_number: number, opinion: record.opinion });
  return number;
}

async function notifyStep(deps: Deps, row: IntegrationRow, number: string, ctx: StepContext): Promise<void> {
  const notify = row.request.notify;
  if (!notify || ((notify.spySystemLogins?.length ?? 0) === 0 && (notify.emails?.length ?? 0) === 0) || row.notified_at) return;
  const record: NotifyRecord = { externalRef: row.id, processNumber: number, spySystemLogins: notify.spySystemLogins ?? [], emails: notify.emails ?? [] };
  await deps.connector.notify(number, await mapped(deps, 'notify', record), ctx);
  await updateIntegration(deps.db, row.id, { notified_at: new Date() });
}

/** Adds `text` to an existing ERP process once: a retry finds its own external reference. */
async function addOpinionOnce(deps: Deps, row: IntegrationRow, number: string, text: string, ctx: StepContext): Promise<string> {
  const record: OpinionRecord = { externalRef: row.id, processNumber: number, text };
  const payload = await mapped(deps, 'addOpinion', record);
  if (!(await deps.connector.hasOpinion(number, row.id, ctx))) await deps.connector.addOpinion(number, payload, ctx);
  await updateIntegration(deps.db, row.id, { erp_process_number: number, opinion: text });
  return number;
}

/**
 * With `processNumber` the chat is linked to that existing ERP case (seed 004): its opinion is
 * added there, after the same lookups and checks as a new case, instead of creating another.
 */
async function linkStep(deps: Deps, row: IntegrationRow, ctx: StepContext): Promise<string> {
  const record = await caseRecord(deps, row, ctx);
  return addOpinionOnce(deps, row, row.request.processNumber!, record.opinion, ctx);
}

/** Runs the remaining steps; returns the ERP process number. */
export async function runIntegration(deps: Deps, row: IntegrationRow, ctx: StepContext): Promise<string> {
  // A client's answer to a question return, added to the return's ERP process.
  if (row.kind === 'opinion') return addOpinionOnce(deps, row, row.request.processNumber!, row.request.text ?? '', ctx);
  const number = row.erp_process_number ?? (row.request.processNumber ? await linkStep(deps, row, ctx) : await createCaseStep(deps, row, ctx));
  await notifyStep(deps, row, number, ctx);
  return number;
}
