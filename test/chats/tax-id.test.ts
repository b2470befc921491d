// CPF / CNPJ checks of the details panel, including the alphanumeric CNPJ (RFB NT 49/2024).

import { describe, expect, it } from 'vitest';
import { checkTaxId } from '../../src/domain/tax-id.js';

describe('tax id (CPF/CNPJ)', () => {
  it('validates CPFs by their check digits, masked or not', () => {
    expect(checkTaxId('529.982.247-25')).toMatchObject({ kind: 'cpf', valid: true, normalized: '52998224725' });
    expect(checkTaxId('52998224726')).toMatchObject({ kind: 'cpf', valid: false, formatted: '529.982.247-26' });
    expect(checkTaxId('123')).toMatchObject({ kind: 'cpf', valid: false });
  });

  it('validates numeric and alphanumeric CNPJs', () => {
    expect(checkTaxId('11.222.333/0001-81')).toMatchObject({ kind: 'cnpj', valid: true });
    expect(checkTaxId('12ABC34501DE35')).toMatchObject({ kind: 'cnpj', valid: true, formatted: '12.ABC.345/01DE-35' });
    expect(checkTaxId('12.abc.345/01de-35')).toMatchObject({ kind: 'cnpj', valid: true, normalized: '12ABC34501DE35' });
    expect(checkTaxId('12ABC34501DE36')).toMatchObject({ kind: 'cnpj', valid: false });
  });

  it('has nothing to say about an empty value', () => {
    expect(checkTaxId('')).toBeNull();
    expect(checkTaxId(undefined)).toBeNull();
    expect(checkTaxId(' -./ ')).toBeNull();
  });
});
