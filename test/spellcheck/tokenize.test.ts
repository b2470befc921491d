import { describe, it, expect } from 'vitest';
import { findCodeSpans, hyphenParts, tokenize } from '../../src/spellcheck/tokenize.js';

const words = (text: string) => tokenize(text).map((token) => token.word);

describe('code spans', () => {
  it('run from an opening <code> through the next <code>', () => {
    const text = 'antes <code> { (SC + PT) / MD } <code> depois';
    expect(findCodeSpans(text)).toEqual([{ start: 6, end: text.indexOf('depois') - 1 }]);
  });

  it('also close on </code>, and pair up one after another', () => {
    const text = 'a <code>x</code> b <code>y<code> c';
    const spans = findCodeSpans(text);
    expect(spans.map((span) => text.slice(span.start, span.end))).toEqual(['<code>x</code>', '<code>y<code>']);
  });

  it('run to the end of the text when <code> is never closed', () => {
    const text = 'a <code> resto do texto';
    expect(findCodeSpans(text)).toEqual([{ start: 2, end: text.length }]);
  });

  it('treat a stray </code> as markup of its own', () => {
    expect(findCodeSpans('fim</code> texto')).toEqual([{ start: 3, end: 10 }]);
  });

  it('match the tags in any letter case', () => {
    expect(findCodeSpans('<CODE>x</Code>')).toEqual([{ start: 0, end: 14 }]);
  });

  it('are absent from plain text', () => {
    expect(findCodeSpans('sem código aqui')).toEqual([]);
  });
});

describe('tokenize', () => {
  it('gives every word with its UTF-16 offset in the original text', () => {
    const text = 'Olá, João! A emissão falhou.';
    for (const token of tokenize(text)) {
      expect(text.slice(token.offset, token.offset + token.word.length)).toBe(token.word);
    }
    expect(words(text)).toEqual(['Olá', 'João', 'emissão', 'falhou']);
  });

  it('keeps offsets right after astral characters and decomposed accents', () => {
    const text = `👍 Obrigado, ${'eletrônica'.normalize('NFD')} ok`;
    const tokens = tokenize(text);
    expect(tokens.map((token) => token.word)).toEqual(['Obrigado', 'eletrônica'.normalize('NFD'), 'ok']);
    for (const token of tokens) expect(text.slice(token.offset, token.offset + token.word.length)).toBe(token.word);
  });

  it('skips the words inside code spans and keeps offsets after them', () => {
    const text = 'antes <code> sistena </code> meio <code>xyzqk<code> depois <code> nunca fechado';
    const tokens = tokenize(text);
    expect(tokens.map((token) => token.word)).toEqual(['antes', 'meio', 'depois']);
    expect(tokens[2]).toEqual({ word: 'depois', offset: text.indexOf('depois') });
  });

  it('separates words that touch a code span', () => {
    expect(words('antes<code>x<code>depois')).toEqual(['antes', 'depois']);
  });

  it('keeps hyphenated words and apostrophes whole', () => {
    expect(words('O guarda-chuva e o copo-d’água; pingo d\'água.')).toEqual(['guarda-chuva', 'e', 'o', 'copo-d’água', 'pingo', "d'água"]);
  });

  it('drops leading and trailing hyphens and apostrophes', () => {
    expect(words("-teste 'aspas' fim-")).toEqual(['teste', 'aspas', 'fim']);
  });

  it('ignores numbers and words with digits or underscores', () => {
    expect(words('Pedido 12345 de R$ 1.234,56 no MP3 e id_cliente 2ª via')).toEqual(['Pedido', 'de', 'no', 'e', 'via']);
  });

  it('ignores URLs, host names, file names and e-mail addresses whole', () => {
    const text =
      'Veja https://ajuda.empresa.com.br/artigo?id=x, www.exemplo.com ou ponte.com.br; ' +
      'anexe relatorio.pdf e escreva para suporte.tecnico@empresa.com.br (fulano@x.io).';
    expect(words(text)).toEqual(['Veja', 'ou', 'anexe', 'e', 'escreva', 'para']);
  });

  it('ignores file paths but still checks words joined by a slash', () => {
    expect(words('Em /var/log/arquivo ou C:\\Temp\\arquivo, abra Cadastro/Agente e/ou')).toEqual([
      'Em', 'ou', 'abra', 'Cadastro', 'Agente', 'e', 'ou',
    ]);
  });

  it('still checks two words glued by a period when the second starts a sentence', () => {
    expect(words('fim.Obrigadoo')).toEqual(['fim', 'Obrigadoo']);
  });

  it('ignores ALL-CAPS acronyms of up to five letters, their plurals and codes built on them', () => {
    expect(words('ERP, CRM, DANFE, CNPJs, NF-e, MDF-e e ATENDIMENTO')).toEqual(['e', 'ATENDIMENTO']);
  });
});

describe('hyphenParts', () => {
  it('splits a hyphenated token keeping each part’s offset', () => {
    expect(hyphenParts({ word: 'guarda-chuvaa', offset: 10 })).toEqual([
      { word: 'guarda', offset: 10 },
      { word: 'chuvaa', offset: 17 },
    ]);
  });

  it('returns a plain word as its only part', () => {
    expect(hyphenParts({ word: 'nota', offset: 3 })).toEqual([{ word: 'nota', offset: 3 }]);
  });
});
