// Seed 000's field rules for a return: which fields each type allows and what they must hold.
// Pure functions; the service turns the problems into one 400 naming every field.

import type { ErrorDetail } from '../errors.js';

export const RETURN_TYPES = ['notice', 'question', 'custom'] as const;
export type ReturnTypeName = (typeof RETURN_TYPES)[number];

/** The fields the rules look at (a new return, or an existing one with a patch applied). */
export interface ReturnFields {
  type: ReturnTypeName;
  clientEmail: string;
  clientCode?: string | null;
  chatId?: string | null;
  crmProcessNumber?: string | null;
  contactPerson?: string | null;
  /** Checked when given (always on creation; on a change only when it changes). */
  validUntil?: string;
}

/** Facts the rules need from outside: the time, and whether the linked chat exists. */
export interface ReturnFacts {
  now: Date;
  chatExists?: boolean;
}

/** ERP process numbers (Bimer "N. do Atendimento") are 8 digits. */
const PROCESS_NUMBER = /^[0-9]{8}$/;

const present = (v: string | null | undefined): v is string => v !== undefined && v !== null && v !== '';

export function checkReturnFields(r: ReturnFields, facts: ReturnFacts): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (present(r.contactPerson) && r.type === 'notice') {
    problems.push({ path: 'contactPerson', message: 'a contact person is only allowed on question and custom returns' });
  }
  if (present(r.crmProcessNumber)) {
    if (r.type !== 'question') problems.push({ path: 'crmProcessNumber', message: 'an ERP process number is only allowed on question returns' });
    else if (!PROCESS_NUMBER.test(r.crmProcessNumber)) problems.push({ path: 'crmProcessNumber', message: 'must be the 8-digit ERP process number' });
  }
  if (r.validUntil !== undefined) {
    const until = Date.parse(r.validUntil);
    if (Number.isNaN(until)) problems.push({ path: 'validUntil', message: 'must be a date-time' });
    else if (until <= facts.now.getTime()) problems.push({ path: 'validUntil', message: 'must be in the future' });
  }
  if (present(r.chatId) && facts.chatExists === false) problems.push({ path: 'chatId', message: `no chat ${r.chatId}` });
  return problems;
}

/** Client codes are kept the ERP's way: 6 digits, zero-padded. */
export function normalizeReturnClientCode(code: string | undefined | null): string | null {
  return present(code) ? code.padStart(6, '0') : null;
}

/** Whether the client can still see and answer the return. */
export function isExpired(validUntil: Date, now: Date): boolean {
  return validUntil.getTime() <= now.getTime();
}

/** Closed returns stay in default listings for the retention window after closing. */
export function isArchived(r: { status: string; closedAt: Date | null }, now: Date, retentionDays: number): boolean {
  return r.status === 'closed' && r.closedAt !== null && r.closedAt.getTime() < archiveCutoff(now, retentionDays).getTime();
}

export function archiveCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * 24 * 3600 * 1000);
}

/** A reply the client is asked to answer must be one the client can see. */
export function checkReplyRules(r: { awaitReply: boolean; visibleToClient: boolean }): ErrorDetail[] {
  return r.awaitReply && !r.visibleToClient ? [{ path: 'awaitReply', message: 'awaiting a reply needs a message visible to the client' }] : [];
}

/** The opinion added to the ERP process: the answer under a short header naming the return. */
export function answerOpinionText(r: { subject: string; clientEmail: string }, answer: string): string {
  return `Resposta ao retorno "${r.subject}" (cliente ${r.clientEmail}):\n${answer}`;
}

/** A next action is something still to do: its date lies ahead. */
export function nextActionProblems(nextActionAt: string | null | undefined, now: Date, path = 'nextActionAt'): ErrorDetail[] {
  if (nextActionAt === undefined || nextActionAt === null) return [];
  const at = Date.parse(nextActionAt);
  if (Number.isNaN(at)) return [{ path, message: 'must be a date-time' }];
  return at <= now.getTime() ? [{ path, message: 'must be in the future (it is the date of something still to do)' }] : [];
}
