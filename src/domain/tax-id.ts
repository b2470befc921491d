// CPF / CNPJ of a client, checked by their verifier digits (cpf-cnpj-validator), including
// the alphanumeric CNPJ of RFB technical note 49/2024 (mandatory from July 2026).

import { cnpj, cpf } from 'cpf-cnpj-validator';

export interface TaxId {
  /** As given (trimmed). */
  value: string;
  /** Only digits and letters A-Z, upper case. */
  normalized: string;
  /** The official mask when the number has the right length, else the normalized value. */
  formatted: string;
  kind: 'cpf' | 'cnpj';
  valid: boolean;
}

/** Null for an empty value. Letters or more than 11 characters make it a CNPJ, else a CPF. */
export function checkTaxId(raw: string | null | undefined): TaxId | null {
  const value = (raw ?? '').trim();
  const normalized = value.toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (!normalized) return null;
  const kind = /[A-Z]/.test(normalized) || normalized.length > 11 ? 'cnpj' : 'cpf';
  if (kind === 'cpf') {
    const valid = normalized.length === 11 && cpf.isValid(normalized);
    return { value, normalized, formatted: normalized.length === 11 ? cpf.format(normalized) : normalized, kind, valid };
  }
  const valid = normalized.length === 14 && cnpj.isValid(normalized);
  return { value, normalized, formatted: normalized.length === 14 ? cnpj.format(normalized) : normalized, kind, valid };
}
