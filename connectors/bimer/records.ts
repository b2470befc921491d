// Bimer's PascalCase answers → the neutral records of the connector contract. A row that lacks
// a required field is an ERP_BAD_RESPONSE (see errors.ts).

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
import { badResponse } from './errors.js';

type Row = Record<string, unknown>;

const badRow = (what: string, why: string) => badResponse(what, `unexpected record: ${why}`);

export function rows(list: unknown[], what: string): Row[] {
  return list.map((r) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw badRow(what, 'not an object');
    return r as Row;
  });
}

function text(row: Row, key: string, what: string): string {
  const v = row[key];
  if ((typeof v === 'string' && v !== '') || typeof v === 'number') return String(v);
  throw badRow(what, `${key} missing`);
}

function optionalText(row: Row, key: string): string | undefined {
  const v = row[key];
  return (typeof v === 'string' && v !== '') || typeof v === 'number' ? String(v) : undefined;
}

/** Ativo arrives as a boolean, or as "S"/"N" in older versions. */
function flag(row: Row, key: string, what: string): boolean {
  const v = row[key];
  if (typeof v === 'boolean') return v;
  if (v === 'S' || v === 'N') return v === 'S';
  throw badRow(what, `${key} is not a boolean`);
}

export const toClient = (r: Row): ErpClient => ({
  code: text(r, 'Codigo', 'client'),
  id: text(r, 'Identificador', 'client'),
  companyName: text(r, 'Nome', 'client'),
  shortName: optionalText(r, 'NomeCurto'),
  taxId: optionalText(r, 'CpfCnpj'),
});

export const toProduct = (r: Row): ErpProduct => ({
  id: text(r, 'Identificador', 'product'),
  name: text(r, 'Nome', 'product'),
  active: flag(r, 'Ativo', 'product'),
});

export const toCaseType = (r: Row): ErpCaseType => ({
  id: text(r, 'Identificador', 'case type'),
  name: text(r, 'Nome', 'case type'),
  standardOpinions: rows(Array.isArray(r.PareceresPadrao) ? r.PareceresPadrao : [], 'standard opinion').map((o) => ({
    id: text(o, 'Identificador', 'standard opinion'),
    text: text(o, 'Texto', 'standard opinion'),
  })),
});

export const toUser = (r: Row): ErpUser => ({
  id: text(r, 'Identificador', 'user'),
  name: text(r, 'Nome', 'user'),
  spySystemLogin: optionalText(r, 'LoginSpySystem'),
});

export const toResponsibilityCenter = (r: Row): ErpResponsibilityCenter => ({
  id: text(r, 'Identificador', 'responsibility center'),
  name: text(r, 'Nome', 'responsibility center'),
});

export const toProcess = (r: Row): ErpProcess => ({
  number: text(r, 'Numero', 'process'),
  status: text(r, 'Situacao', 'process'),
  nextContactDate: optionalText(r, 'DataProximoContato'),
  nextContactUserId: optionalText(r, 'IdentificadorUsuarioProximoContato'),
});

/** find-by-reference answers may carry only the number. */
export const toProcessNumber = (r: Row): string => text(r, 'Numero', 'process');

export const toCriticalFactor = (r: Row): ErpCriticalFactor => ({
  number: text(r, 'Numero', 'critical factor'),
  subject: text(r, 'Assunto', 'critical factor'),
  openedAt: optionalText(r, 'DataAbertura'),
});

/**
 * Delinquency is a característica the ERP admin configures; deployments name it
 * "INADIMPLENTE" or "CLIENTE INADIMPLENTE", so any característica whose name contains
 * the word counts.
 */
export const DELINQUENT_CHARACTERISTIC = /\bINADIMPLENTE\b/i;

export function toMarkers(characteristics: Row[]): ErpClientMarkers {
  const mark = characteristics.find((c) => DELINQUENT_CHARACTERISTIC.test(optionalText(c, 'Nome') ?? ''));
  if (!mark) return { delinquent: false };
  return { delinquent: true, since: optionalText(mark, 'DataInclusao'), reason: optionalText(mark, 'Nome') };
}
