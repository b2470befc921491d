// The pure rules of data-subject requests: the match, the digests, the patterns that find a
// phone or a CPF/CNPJ in any formatting, and the scrubbing into stable placeholders.

import { describe, expect, it } from 'vitest';
import { digestsOf, mentionPattern, parseMatch, phoneKey, taxKey } from '../../src/domain/data-subject.js';
import { PLACEHOLDER, Scrubber, pseudonymsFor } from '../../src/domain/data-subject-scrub.js';

describe('the data-subject match', () => {
  it('normalizes each identifier: e-mail lower case, client code padded, CPF/CNPJ and phone by their digits', () => {
    expect(parseMatch({ email: ' Ana@Example.COM ', clientCode: '34', taxId: '529.982.247-25', phone: '+55 (21) 98877-6655' }))
      .toEqual({ emails: ['ana@example.com'], clientCodes: ['000034'], taxIds: ['52998224725'], phones: ['21988776655'] });
    expect(taxKey('12.abc.345/01de-35')).toBe('12ABC34501DE35');
    expect(phoneKey('011 4000-0000')).toBe('1140000000');
  });

  it('refuses an empty match and names every malformed field', () => {
    expect(() => parseMatch({})).toThrow(/at least one/);
    try {
      parseMatch({ email: 'nope', taxId: '123', phone: '12' }, 'match.');
      expect.unreachable();
    } catch (err) {
      expect((err as { details: Array<{ path: string }> }).details.map((d) => d.path)).toEqual(['match.email', 'match.taxId', 'match.phone']);
    }
  });

  it('keeps digests, the same for every formatting of one identifier', () => {
    expect(digestsOf({ taxIds: ['529.982.247-25'] })).toEqual(digestsOf({ taxIds: ['52998224725'] }));
    expect(digestsOf({ emails: ['A@B.example'] })[0]).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('finding and scrubbing identifiers in free text', () => {
  const re = new RegExp(mentionPattern({ emails: ['ana@example.com'], taxIds: ['52998224725'], phones: ['21988776655'] })!, 'giu');

  it('finds phones and CPFs whatever the punctuation, but not inside longer numbers', () => {
    for (const t of ['(21) 98877-6655', '+55 21 98877 6655', '5521988776655', '529.982.247-25', '52998224725', 'ANA@example.com']) expect(t.replace(re, '#')).toBe('#');
    expect('pedido 1529982247250'.replace(re, '#')).toBe('pedido 1529982247250');
  });

  it('replaces identifiers with stable pseudonyms, and free-text fields of own records with a placeholder', () => {
    const s = new Scrubber({ emails: ['ana@example.com'], taxIds: ['52998224725'], phones: ['21988776655'], names: ['Ana Maria Souza'], companyNames: ['Padaria Ana'] }, pseudonymsFor('ab12'));
    expect(s.text('Ana  Maria Souza (ana@example.com), CPF 529.982.247-25, tel (21) 98877-6655, Padaria Ana'))
      .toBe('Titular ab12 (titular-ab12@anonimizado.invalid), CPF [CPF/CNPJ removido], tel [telefone removido], Empresa ab12');
    expect(s.json({ client: { name: 'Ana Maria Souza', email: 'ana@example.com' }, status: 'closed' }))
      .toEqual({ client: { name: 'Titular ab12', email: 'titular-ab12@anonimizado.invalid' }, status: 'closed' });
    expect(s.ownJson({ subject: 'Boleto', text: 'oi', productId: '00A1', exchanges: [{ request: { body: 'x' }, status: 200 }] }))
      .toEqual({ subject: PLACEHOLDER, text: PLACEHOLDER, productId: '00A1', exchanges: [{ request: PLACEHOLDER, status: 200 }] });
  });
});
