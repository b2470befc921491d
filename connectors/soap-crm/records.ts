// SOAP answers (as node-soap parses them: typed by the WSDL, dates as Date, an empty element as
// null) → the neutral records of the connector contract. A record that lacks a field the contract
// requires means the service does not speak this contract: SOAP_CONTRACT_MISMATCH (permanent).

import type {
  ErpCaseType,
  ErpClient,
  ErpClientMarkers,
  ErpCriticalFactor,
  ErpProcess,
  ErpProduct,
  ErpResponsibilityCenter,
  ErpUser,
} from '../../src/connectors/contract.js';
import { ConnectorError } from '../../src/errors.js';
import { fail, RULES } from './errors.js';

type Row = Record<string, unknown>;

const isRow = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function mismatch(what: string, why: string): ConnectorError {
  return fail(RULES.contractMismatch, `${what}: ${why}`);
}

/** The answer element's content; null/empty (nothing found) → undefined. */
export function answer(result: unknown, what: string): Row | undefined {
  if (result === null || result === undefined || result === '') return undefined;
  if (!isRow(result)) throw mismatch(what, 'the answer is not a structure');
  return Object.keys(result).length ? result : undefined;
}

/** A repeated element: absent → [], one occurrence → [it]. */
export function rows(result: unknown, element: string, what: string): Row[] {
  const content = answer(result, what)?.[element];
  const list = content === undefined || content === null ? [] : Array.isArray(content) ? content : [content];
  return list.map((r) => {
    if (!isRow(r)) throw mismatch(what, `${element} is not a structure`);
    return r;
  });
}

function text(row: Row, key: string, what: string): string {
  const v = row[key];
  if ((typeof v === 'string' && v !== '') || typeof v === 'number') return String(v);
  throw mismatch(what, `${key} missing`);
}

function optionalText(row: Row, key: string): string | undefined {
  const v = row[key];
  return (typeof v === 'string' && v !== '') || typeof v === 'number' ? String(v) : undefined;
}

export function flag(row: Row, key: string, what: string): boolean {
  const v = row[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1' || v === 'false' || v === '0') return v === 'true' || v === '1';
  throw mismatch(what, `${key} is not a boolean`);
}

/** xs:date → YYYY-MM-DD; xs:dateTime → ISO 8601. An unparseable value is dropped, not invented. */
function optionalDate(row: Row, key: string, kind: 'date' | 'dateTime'): string | undefined {
  const v = row[key];
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return undefined;
    return kind === 'date' ? v.toISOString().slice(0, 10) : v.toISOString();
  }
  return optionalText(row, key);
}

export const toProduct = (r: Row): ErpProduct => ({ id: text(r, 'Id', 'product'), name: text(r, 'Name', 'product'), active: flag(r, 'Active', 'product') });

export const toCaseType = (r: Row): ErpCaseType => ({
  id: text(r, 'Id', 'case type'),
  name: text(r, 'Name', 'case type'),
  standardOpinions: rows(r, 'StandardOpinion', 'case type').map((o) => ({ id: text(o, 'Id', 'standard opinion'), text: text(o, 'Text', 'standard opinion') })),
});

export const toUser = (r: Row): ErpUser => {
  const login = optionalText(r, 'SpySystemLogin');
  return { id: text(r, 'Id', 'user'), name: text(r, 'Name', 'user'), ...(login ? { spySystemLogin: login } : {}) };
};

export const toResponsibilityCenter = (r: Row): ErpResponsibilityCenter => ({ id: text(r, 'Id', 'responsibility center'), name: text(r, 'Name', 'responsibility center') });

export const toCriticalFactor = (r: Row): ErpCriticalFactor => {
  const openedAt = optionalDate(r, 'OpenedAt', 'dateTime');
  return { number: text(r, 'Number', 'critical factor'), subject: text(r, 'Subject', 'critical factor'), ...(openedAt ? { openedAt } : {}) };
};

/** Drops undefined fields, so records compare and serialise cleanly. */
function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

export function toClient(result: unknown): ErpClient | null {
  const r = answer(result, 'client');
  if (!r) return null;
  return defined({
    code: text(r, 'Code', 'client'),
    id: text(r, 'Id', 'client'),
    companyName: text(r, 'CompanyName', 'client'),
    shortName: optionalText(r, 'ShortName'),
    taxId: optionalText(r, 'TaxId'),
  });
}

export function toProcess(result: unknown): ErpProcess | null {
  const r = answer(result, 'process');
  if (!r) return null;
  return defined({
    number: text(r, 'Number', 'process'),
    status: text(r, 'Status', 'process'),
    nextContactDate: optionalDate(r, 'NextContactDate', 'date'),
    nextContactUserId: optionalText(r, 'NextContactUserId'),
  });
}

export function toMarkers(result: unknown): ErpClientMarkers | null {
  const r = answer(result, 'markers');
  if (!r) return null;
  return defined({ delinquent: flag(r, 'Delinquent', 'markers'), since: optionalDate(r, 'Since', 'date'), reason: optionalText(r, 'Reason') });
}

/** FindCaseByExternalRef / CreateCase: the process number, or null when the answer is empty. */
export function processNumber(result: unknown, what: string): string | null {
  const r = answer(result, what);
  return r ? text(r, 'Number', what) : null;
}
