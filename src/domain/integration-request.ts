// Seed 004's field rules for an integration request: what is allowed when. Pure functions;
// the HTTP layer turns the returned problems into one 400 naming every field.

import type { ErrorDetail } from '../errors.js';

export interface IntegrationRequest {
  multiple?: boolean;
  clientCode: string;
  processNumber?: string;
  productId: string;
  caseTypeId: string;
  closeCase: boolean;
  nextContact?: { userId?: string; date?: string };
  priority?: boolean;
  responsibilityCenterId?: string;
  contactPerson?: string;
  subject: string;
  standardOpinionId?: string;
  opinion?: string;
  historyExcerpt?: string;
  notify?: { spySystemLogins?: string[]; emails?: string[] };
}

export interface ExistingIntegration { multiple: boolean; status: string }

/** ERP client codes are 6 digits, zero-padded ("12" → "000012"). */
export function normalizeClientCode(code: string): string {
  return code.padStart(6, '0');
}

/** Rules that need no ERP lookup. `prefix` is the path of the request in the body. */
export function checkFieldRules(
  req: IntegrationRequest,
  ctx: { chatStatus: string; existing: ExistingIntegration[]; today: string },
  prefix = '',
): ErrorDetail[] {
  const at = (field: string) => `${prefix}${field}`;
  const problems: ErrorDetail[] = [];
  if (ctx.chatStatus !== 'closed') problems.push({ path: at('chatId'), message: `the chat must be closed before it is integrated (it is ${ctx.chatStatus})` });
  const active = ctx.existing.filter((i) => i.status !== 'cancelled');
  if (active.length > 0 && !req.multiple) {
    problems.push({ path: at('multiple'), message: 'the chat already has an integration: a second one needs multiple: true' });
  } else if (active.some((i) => !i.multiple)) {
    problems.push({ path: at('multiple'), message: 'the chat was integrated without multiple: no further integration is allowed' });
  }
  if (req.closeCase) {
    if (req.nextContact?.userId !== undefined) problems.push({ path: at('nextContact.userId'), message: 'a next-contact user is only allowed when the case stays open (closeCase: false)' });
    if (req.nextContact?.date !== undefined) problems.push({ path: at('nextContact.date'), message: 'a next-contact date is only allowed when the case stays open (closeCase: false)' });
    if (req.priority) problems.push({ path: at('priority'), message: 'priority is only allowed on a case that stays open with a next-contact user' });
  } else {
    if (req.responsibilityCenterId !== undefined) problems.push({ path: at('responsibilityCenterId'), message: 'a responsibility center is only allowed when closing the case (closeCase: true)' });
    // With a process number the next-contact user may come from that process (checked at run time).
    if (req.priority && !req.nextContact?.userId && !req.processNumber) problems.push({ path: at('priority'), message: 'priority needs a next-contact user (nextContact.userId)' });
  }
  if (req.nextContact?.date !== undefined && req.nextContact.date < ctx.today) {
    problems.push({ path: at('nextContact.date'), message: `the next-contact date ${req.nextContact.date} is in the past` });
  }
  if (!req.multiple && req.historyExcerpt !== undefined) {
    problems.push({ path: at('historyExcerpt'), message: 'historyExcerpt is only used with multiple: true (otherwise the whole transcript is carried)' });
  }
  return problems;
}

export interface LookupFacts {
  product?: { active: boolean } | null;
  caseType?: { standardOpinions: Array<{ id: string }> } | null;
  nextContactUser?: object | null;
  responsibilityCenter?: object | null;
  client?: object | null;
  /** The ERP's users: the SpySystem logins to notify must be among them. */
  users?: Array<{ spySystemLogin?: string }>;
  /** The existing process of `processNumber`. */
  process?: { nextContactUserId?: string; clientCode?: string } | null;
}

/**
 * Rules that need the ERP's lists. A fact left `undefined` was not looked up (ERP
 * unreachable at accept time) and is checked again by the worker; `null` means unknown.
 */
export function checkLookupRules(req: IntegrationRequest, facts: LookupFacts, prefix = ''): ErrorDetail[] {
  const at = (field: string) => `${prefix}${field}`;
  const problems: ErrorDetail[] = [];
  if (facts.client === null) problems.push({ path: at('clientCode'), message: `no ERP client with code ${normalizeClientCode(req.clientCode)}` });
  if (facts.product === null) problems.push({ path: at('productId'), message: `no ERP product ${req.productId}` });
  else if (facts.product && !facts.product.active) problems.push({ path: at('productId'), message: `ERP product ${req.productId} is inactive` });
  if (facts.caseType === null) problems.push({ path: at('caseTypeId'), message: `no ERP case type ${req.caseTypeId}` });
  else if (facts.caseType && req.standardOpinionId !== undefined && !facts.caseType.standardOpinions.some((o) => o.id === req.standardOpinionId)) {
    problems.push({ path: at('standardOpinionId'), message: `standard opinion ${req.standardOpinionId} does not belong to case type ${req.caseTypeId}` });
  }
  if (facts.nextContactUser === null) problems.push({ path: at('nextContact.userId'), message: `no ERP user ${req.nextContact?.userId}` });
  if (facts.responsibilityCenter === null) problems.push({ path: at('responsibilityCenterId'), message: `no responsibility center ${req.responsibilityCenterId}` });
  if (facts.users && req.notify?.spySystemLogins?.length) {
    const known = new Set(facts.users.map((u) => u.spySystemLogin).filter(Boolean));
    const unknown = req.notify.spySystemLogins.filter((login) => !known.has(login));
    if (unknown.length) problems.push({ path: at('notify.spySystemLogins'), message: `no ERP user with SpySystem login ${unknown.join(', ')}` });
  }
  if (facts.process === null) problems.push({ path: at('processNumber'), message: `no ERP process ${req.processNumber}` });
  else if (facts.process?.clientCode && normalizeClientCode(facts.process.clientCode) !== normalizeClientCode(req.clientCode)) {
    problems.push({ path: at('processNumber'), message: `ERP process ${req.processNumber} belongs to client ${facts.process.clientCode}, not to ${req.clientCode}` });
  } else if (facts.process && req.priority && !req.closeCase && !req.nextContact?.userId && !facts.process.nextContactUserId) {
    problems.push({ path: at('priority'), message: `priority needs a next-contact user, and process ${req.processNumber} has none (give nextContact.userId)` });
  }
  return problems;
}
