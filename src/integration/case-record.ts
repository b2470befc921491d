// The neutral case record of an integration, built the same way by the accept-time dry-run,
// the integration form's prefill and the worker, so what the helpdesk is shown and checked
// against is exactly what the ERP receives.

import type { CaseRecord, ErpCaseType, ErpProcess, ProcessUpdateRecord } from '../connectors/contract.js';
import type { IntegrationRequest } from '../domain/integration-request.js';
import { buildOpinion } from '../domain/opinion.js';

/** What the chat contributes: its advance opinion, its transcript, its client's name. */
export interface ChatFacts {
  advanceOpinion: string | null;
  transcript: string;
  clientName: string | null;
}

/** What the ERP contributes; `undefined` = not known (yet), `null` = known absent. */
export interface RecordFacts {
  caseType?: ErpCaseType | null;
  process?: ErpProcess | null;
}

/**
 * Stands for the standard text while the case type could not be looked up (accept time with
 * the ERP slow): the text exists, its content is checked again by the worker.
 */
const UNKNOWN_STANDARD_TEXT = '…';

/** The next contact: the request's own, blanks filled from the linked process while the case stays open. */
export function nextContactOf(req: IntegrationRequest, process?: ErpProcess | null): { userId?: string; date?: string } | undefined {
  const next = { ...req.nextContact };
  if (process && !req.closeCase) {
    next.userId ??= process.nextContactUserId;
    next.date ??= process.nextContactDate?.slice(0, 10);
  }
  return next.userId || next.date ? next : undefined;
}

export function standardTextOf(req: IntegrationRequest, caseType?: ErpCaseType | null): string | undefined {
  if (!req.standardOpinionId) return undefined;
  if (caseType === undefined) return UNKNOWN_STANDARD_TEXT;
  return caseType?.standardOpinions.find((o) => o.id === req.standardOpinionId)?.text;
}

/** Whether the opinion is prefilled from the chat's transcript (else the transcript need not be read). */
export function needsTranscript(req: IntegrationRequest): boolean {
  return !req.multiple && req.opinion === undefined;
}

export function opinionOf(req: IntegrationRequest, chat: ChatFacts, caseType?: ErpCaseType | null): string {
  return buildOpinion({
    multiple: Boolean(req.multiple),
    advanceOpinion: chat.advanceOpinion,
    transcript: chat.transcript,
    opinion: req.opinion,
    historyExcerpt: req.historyExcerpt,
    standardText: standardTextOf(req, caseType),
  });
}

export function buildCaseRecord(externalRef: string, req: IntegrationRequest, chat: ChatFacts, facts: RecordFacts): CaseRecord {
  return {
    externalRef,
    clientCode: req.clientCode,
    processNumber: req.processNumber,
    productId: req.productId,
    caseTypeId: req.caseTypeId,
    subject: req.subject,
    opinion: opinionOf(req, chat, facts.caseType),
    contactPerson: req.contactPerson ?? chat.clientName ?? undefined,
    closeCase: req.closeCase,
    responsibilityCenterId: req.responsibilityCenterId,
    nextContact: nextContactOf(req, facts.process),
    priority: Boolean(req.priority),
  };
}

/** Where each field of the case record comes from in the request (for naming a refused payload field). */
export const CASE_RECORD_SOURCES: Record<string, string> = {
  clientCode: 'clientCode',
  processNumber: 'processNumber',
  productId: 'productId',
  caseTypeId: 'caseTypeId',
  subject: 'subject',
  opinion: 'opinion',
  contactPerson: 'contactPerson',
  closeCase: 'closeCase',
  responsibilityCenterId: 'responsibilityCenterId',
  'nextContact.userId': 'nextContact.userId',
  'nextContact.date': 'nextContact.date',
  priority: 'priority',
};

/**
 * What an integration linked to an existing process applies to it (seed 004): closing with the
 * responsibility center, its own next contact, priority. Only what the request gives is sent;
 * an open case keeps the process's own next contact.
 */
export function processUpdateOf(externalRef: string, req: IntegrationRequest): ProcessUpdateRecord {
  const own = req.nextContact?.userId || req.nextContact?.date ? { ...req.nextContact } : undefined;
  return {
    externalRef,
    processNumber: req.processNumber!,
    ...(req.closeCase ? { closeCase: true, ...(req.responsibilityCenterId ? { responsibilityCenterId: req.responsibilityCenterId } : {}) } : {}),
    ...(own && !req.closeCase ? { nextContact: own } : {}),
    ...(req.priority !== undefined ? { priority: req.priority } : {}),
  };
}

/** Whether the update changes anything beyond carrying the external reference. */
export const updatesSomething = (u: ProcessUpdateRecord): boolean => Object.keys(u).some((k) => k !== 'externalRef' && k !== 'processNumber');

/** Where each field of the process update comes from in the request. */
export const PROCESS_UPDATE_SOURCES: Record<string, string> = {
  closeCase: 'closeCase',
  responsibilityCenterId: 'responsibilityCenterId',
  'nextContact.userId': 'nextContact.userId',
  'nextContact.date': 'nextContact.date',
  priority: 'priority',
};

/** The dotted paths of the fields a record carries (to compare with what a connector cannot apply). */
export function presentFields(record: object, prefix = ''): string[] {
  return Object.entries(record).flatMap(([k, v]) => {
    if (v === undefined) return [];
    const path = `${prefix}${k}`;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? [path, ...presentFields(v, `${path}.`)] : [path];
  });
}
