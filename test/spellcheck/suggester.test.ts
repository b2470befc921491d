// The suggester on a small index: ranking by what a Portuguese slip costs, the writer's case,
// hyphenated pronouns, known prefixes, custom words, and Hunspell's veto.

import { describe, it, expect } from 'vitest';
import { SuggestionIndex } from '../../src/spellcheck/suggestion-index.js';
import { Suggester, inCaseOf } from '../../src/spellcheck/suggester.js';

const STEMS = ['mexer', 'exceção', 'também', 'tambor', 'não', 'mão', 'nau', 'sistema', 'sistemas', 'impressora', 'atendimento', 'escrevê', 'escreve', 'instalar', 'Brasília', 'bambem'];
const index = SuggestionIndex.build(STEMS.map((form) => ({ form, stem: true })));
const accepted = new Set([...STEMS, 'escrevê-la', 'reinstalar', 'Karoo']);
const accepts = (word: string) => accepted.has(word) || accepted.has(word.toLowerCase()) || accepted.has(word.charAt(0).toLowerCase() + word.slice(1));
const suggester = () => new Suggester(index, { prefixes: ['des', 're'], replacements: [['ch', 'x'], ['ss', 'ç'], ['^ex', 'es'], ['a', 'a_a']] }, accepts);

describe('Suggester', () => {
  it('puts the accented word first for a missing accent or tilde', () => {
    expect(suggester().suggest('tambem', 5)[0]).toBe('também');
    expect(suggester().suggest('nao', 5)[0]).toBe('não');
  });

  it('ranks a neighbouring key and a doubled letter before other edits', () => {
    expect(suggester().suggest('sistena', 5)[0]).toBe('sistema');
    expect(suggester().suggest('impresora', 5)[0]).toBe('impressora');
    expect(suggester().suggest('atendimentoo', 5)[0]).toBe('atendimento');
  });

  it('keeps the case the word was written in, and a proper noun its capital', () => {
    expect(suggester().suggest('Tambem', 5)[0]).toBe('Também');
    expect(suggester().suggest('TAMBEM', 5)[0]).toBe('TAMBÉM');
    expect(suggester().suggest('brasilia', 5)[0]).toBe('Brasília');
  });

  it('corrects the part before a hyphenated pronoun and a word behind a known prefix', () => {
    expect(suggester().suggest('escreve-la', 5)).toContain('escrevê-la');
    expect(suggester().suggest('reinstalr', 5)).toContain('reinstalar');
  });

  it('tries the confusions the dictionary lists (REP) as whole replacements', () => {
    expect(suggester().suggest('mecher', 5)[0]).toBe('mexer');
    expect(suggester().suggest('excessão', 5)).toContain('exceção');
  });

  it('offers nothing Hunspell would flag, and at most the limit', () => {
    const offered = suggester().suggest('tambem', 1);
    expect(offered).toEqual(['também']);
    expect(suggester().suggest('bambem', 5)).not.toContain('bambem');
    for (const word of suggester().suggest('tamben', 5)) expect(accepts(word)).toBe(true);
  });

  it('suggests custom words only while they are set', () => {
    const s = suggester();
    s.setCustomWords(['Karoo']);
    expect(s.suggest('Karo', 5)).toContain('Karoo');
    s.setCustomWords([]);
    expect(s.suggest('Karo', 5)).not.toContain('Karoo');
  });

  it('writes a suggestion in capitals, capitalized or as the dictionary has it', () => {
    expect(inCaseOf('NAO', 'não')).toBe('NÃO');
    expect(inCaseOf('Nao', 'não')).toBe('Não');
    expect(inCaseOf('nao', 'não')).toBe('não');
    expect(inCaseOf('A', 'à')).toBe('À');
  });
});

describe('SuggestionIndex', () => {
  it('finds what it holds and nothing else, and reads back only from its own source', () => {
    expect(index.has('também')).toBe(true);
    expect(index.has('tambem')).toBe(false);
    const file = index.serialize('dictionary A');
    expect(SuggestionIndex.deserialize(file, 'dictionary A')?.has('sistema')).toBe(true);
    expect(SuggestionIndex.deserialize(file, 'dictionary B')).toBeUndefined();
    expect(SuggestionIndex.deserialize(file.subarray(0, file.length - 3), 'dictionary A')).toBeUndefined();
    expect(SuggestionIndex.deserialize(Buffer.from('not an index'), 'dictionary A')).toBeUndefined();
  });

  it('finds every form within the cost and none beyond it', () => {
    const words = index.search('sistema', 13).map((c) => c.word);
    expect(words).toEqual(expect.arrayContaining(['sistema', 'sistemas']));
    expect(words).not.toContain('também');
  });
});
