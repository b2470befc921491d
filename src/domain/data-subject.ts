// Who a data-subject request is about, as pure rules: the match (e-mail, client code, CPF/CNPJ,
// phone) checked and normalized, the digests kept instead of the identifiers, and the
// patterns that find every formatting of a phone or a CPF/CNPJ inside free text.

import { createHash } from 'node:crypto';
import { ValidationError, type ErrorDetail } from '../errors.js';
import { normalizeClientCode } from './integration-request.js';

export interface MatchInput { email?: string; clientCode?: string; taxId?: string; phone?: string }

/** The normalized identifiers of one person; any of them matches (OR). */
export interface Identifiers {
  emails: string[];
  clientCodes: string[];
  taxIds: string[];
  phones: string[];
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/** Digits and letters of a CPF/CNPJ, upper case (as ponte_tax_key in SQL). */
export function taxKey(raw: string): string {
  return raw.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

/** Digits of a phone without country code 55 and trunk zeros (as ponte_phone_key in SQL). */
export function phoneKey(raw: string): string {
  const d = raw.replace(/[^0-9]/g, '');
  return /^55[0-9]{10,11}$/.test(d) ? d.slice(2) : d.replace(/^0+/, '');
}

/** Checks the match: at least one identifier, each well formed; one 400 naming every bad field. */
export function parseMatch(input: MatchInput | undefined, prefix = ''): Identifiers {
  const m = input ?? {};
  const problems: ErrorDetail[] = [];
  const out: Identifiers = { emails: [], clientCodes: [], taxIds: [], phones: [] };
  if (m.email !== undefined) {
    const email = m.email.trim().toLowerCase();
    if (EMAIL.test(email)) out.emails.push(email);
    else problems.push({ path: `${prefix}email`, message: 'must be an e-mail address' });
  }
  if (m.clientCode !== undefined) {
    if (/^[0-9]{1,6}$/.test(m.clientCode.trim())) out.clientCodes.push(normalizeClientCode(m.clientCode.trim()));
    else problems.push({ path: `${prefix}clientCode`, message: 'must be an ERP client code (1 to 6 digits)' });
  }
  if (m.taxId !== undefined) {
    const key = taxKey(m.taxId);
    if (key.length === 11 || key.length === 14) out.taxIds.push(key);
    else problems.push({ path: `${prefix}taxId`, message: 'must be a CPF (11 digits) or a CNPJ (14 characters), with or without punctuation' });
  }
  if (m.phone !== undefined) {
    const key = phoneKey(m.phone);
    if (key.length >= 8 && key.length <= 13) out.phones.push(key);
    else problems.push({ path: `${prefix}phone`, message: 'must be a phone number with 8 to 13 digits (country code 55 optional)' });
  }
  if (!problems.length && !Object.values(out).some((v) => v.length)) {
    problems.push({ path: prefix ? prefix.replace(/\.$/, '') : 'email', message: 'name at least one of email, clientCode, taxId, phone' });
  }
  if (problems.length) throw new ValidationError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  return out;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** One digest per identifier: kept in the access log and in erasure records instead of the value. */
export function digestsOf(ids: Partial<Identifiers>): string[] {
  return [
    ...(ids.emails ?? []).map((e) => sha256(`email:${e.toLowerCase()}`)),
    ...(ids.clientCodes ?? []).map((c) => sha256(`clientCode:${c}`)),
    ...(ids.taxIds ?? []).map((t) => sha256(`taxId:${taxKey(t)}`)),
    ...(ids.phones ?? []).map((p) => sha256(`phone:${phoneKey(p)}`)),
  ].filter((d, i, all) => all.indexOf(d) === i);
}

/** The same request (mode and identifiers) twice gives the same key. */
export function requestKey(mode: string, ids: Identifiers): string {
  return sha256(JSON.stringify([mode, ...[ids.emails, ids.clientCodes, ids.taxIds, ids.phones].map((l) => [...l].sort())]));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Separators people put between the digits of a phone or a CPF/CNPJ. */
const SEP = '[\\s().-]*';

/** A regex source matching `key` with any separators between its characters, not inside a longer number. */
function spaced(key: string): string {
  return `(?<![0-9A-Za-z])${key.split('').map(escape).join(SEP)}(?![0-9])`;
}

/**
 * One regex source (valid both in JavaScript and in PostgreSQL's `~*`) matching every
 * identifier inside free text: e-mails, CPF/CNPJ and phones in any formatting (a phone
 * with or without +55 and its area code's parentheses). Null when there is nothing to look for.
 */
export function mentionPattern(ids: Pick<Identifiers, 'emails' | 'taxIds' | 'phones'>): string | null {
  const parts = [
    ...ids.emails.map(escape),
    ...ids.taxIds.map(spaced),
    ...ids.phones.map((p) => `(?<![0-9])(\\+?55${SEP})?\\(?${spaced(p).replace('(?<![0-9A-Za-z])', '')}`),
  ];
  return parts.length ? parts.join('|') : null;
}
