import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { Spellchecker, type Misspelling } from '../../src/spellcheck/spellchecker.js';

const flagged = (misspellings: Misspelling[]) => misspellings.map((m) => m.word);

describe('Spellchecker (pt-BR Hunspell)', () => {
  let checker: Spellchecker;

  beforeAll(async () => {
    checker = await Spellchecker.load();
  });

  afterEach(() => {
    // The checker is process-wide: leave no custom words behind for the next rule.
    checker.setCustomWords([]);
  });

  it('is one shared checker, however many callers load it at once', async () => {
    const [a, b] = await Promise.all([Spellchecker.load(), Spellchecker.load()]);
    expect(a).toBe(b);
    expect(a).toBe(checker);
  });

  it('accepts a correct Portuguese sentence with accents', () => {
    expect(checker.check('O cliente não conseguiu emitir a nota fiscal eletrônica.')).toEqual([]);
  });

  it('accepts words capitalized at the start of a sentence and in ALL CAPS', () => {
    expect(checker.check('Não foi possível. Atendimento encerrado. ATENCIOSAMENTE, equipe.')).toEqual([]);
  });

  it('accepts accents typed as combining marks', () => {
    expect(checker.check('nota fiscal eletrônica'.normalize('NFD'))).toEqual([]);
  });

  it('flags "atendimentoo" and suggests "atendimento", at most five suggestions', () => {
    const [misspelling, ...rest] = checker.check('Obrigado pelo atendimentoo de hoje.');
    expect(rest).toEqual([]);
    expect(misspelling?.word).toBe('atendimentoo');
    expect(misspelling?.suggestions).toContain('atendimento');
    expect(misspelling?.suggestions.length).toBeLessThanOrEqual(5);
  });

  it('reports the offset of each flagged word in the original text', () => {
    const text = 'Olá! O sistena travou e o <code>x</code> relatorio não abriu. O sistena voltou.';
    const misspellings = checker.check(text);
    expect(flagged(misspellings)).toEqual(['sistena', 'relatorio', 'sistena']);
    expect(misspellings.map((m) => m.offset)).toEqual([
      text.indexOf('sistena'),
      text.indexOf('relatorio'),
      text.lastIndexOf('sistena'),
    ]);
    for (const m of misspellings) expect(text.slice(m.offset, m.offset + m.word.length)).toBe(m.word);
  });

  it('skips text between <code> and <code>', () => {
    const text = 'Envie a fórmula: <code> { (SC + PT) / MD } sistena <code> e o relatorio.';
    expect(flagged(checker.check(text))).toEqual(['relatorio']);
  });

  it('skips text between <code> and </code>, and after an unclosed <code>', () => {
    const text = 'A chave <code>sistena xyzqk</code> vale para o relatorio. <code> clinete sem fim';
    expect(flagged(checker.check(text))).toEqual(['relatorio']);
  });

  it('does not flag URLs or e-mail addresses', () => {
    const text = 'Acesse https://suporte.exemplo.com.br/chamados?id=abc ou escreva para atendimento.nfe@exemplo.com.br.';
    expect(checker.check(text)).toEqual([]);
  });

  it('blames a misspelled part of a hyphenated word, or the whole when every part is a word', () => {
    const text = 'O guarda-chuvaa e escreve-la; guarda-chuva e escrevê-la estão certos.';
    const misspellings = checker.check(text);
    expect(misspellings.map(({ word, offset }) => ({ word, offset }))).toEqual([
      { word: 'chuvaa', offset: text.indexOf('chuvaa') },
      { word: 'escreve-la', offset: text.indexOf('escreve-la') },
    ]);
    expect(misspellings[1]?.suggestions).toContain('escrevê-la');
  });

  it('accepts a typographic apostrophe where the dictionary has an ASCII one', () => {
    expect(checker.check('um copo d’água')).toEqual([]);
  });

  it('hands out suggestion lists the caller may change without touching the cache', () => {
    checker.check('sistena')[0]?.suggestions.splice(0);
    expect(checker.check('sistena')[0]?.suggestions).toContain('sistema');
  });
});

describe('Spellchecker custom words', () => {
  let checker: Spellchecker;

  beforeAll(async () => {
    checker = await Spellchecker.load();
  });

  afterEach(() => {
    checker.setCustomWords([]);
  });

  it('accepts a custom word only while it is in the custom dictionary', () => {
    const text = 'O Karoo integra com o ERP.';
    expect(flagged(checker.check(text))).toEqual(['Karoo']);

    checker.setCustomWords(['Karoo', 'Bimer']);
    expect(checker.check(text)).toEqual([]);
    expect(checker.customWords()).toEqual(['Bimer', 'Karoo']);

    checker.setCustomWords(['Bimer']);
    expect(flagged(checker.check(text))).toEqual(['Karoo']);
    expect(checker.check('Bimer')).toEqual([]);
  });

  it('lets a custom word appear among the suggestions', () => {
    checker.setCustomWords(['Karoo']);
    expect(checker.check('O Karo travou.')[0]?.suggestions).toContain('Karoo');
  });

  it('accepts a lower-case custom word capitalized and in capitals', () => {
    checker.setCustomWords(['bimer']);
    expect(checker.check('bimer. Bimer. BIMER.')).toEqual([]);
  });

  it('keeps a capitalized custom word once its lower-case twin, which covered it, is removed', () => {
    checker.setCustomWords(['bimer', 'Bimer']);
    checker.setCustomWords(['Bimer']);
    expect(checker.check('Bimer')).toEqual([]);
    expect(flagged(checker.check('bimer'))).toEqual(['bimer']);
  });

  it('accepts every case form of a word once removed in another case and added back', () => {
    checker.setCustomWords(['Vortrix']);
    checker.setCustomWords([]);
    expect(flagged(checker.check('Vortrix'))).toEqual(['Vortrix']);
    checker.setCustomWords(['vortrix']);
    expect(checker.check('vortrix, Vortrix, VORTRIX')).toEqual([]);
  });

  it('never removes a word Hunspell already knew when it leaves the custom dictionary', () => {
    expect(checker.check('cliente inadimplente')).toEqual([]);
    checker.setCustomWords(['inadimplente']);
    checker.setCustomWords([]);
    expect(checker.check('cliente inadimplente')).toEqual([]);
  });

  it('ignores blank entries and keeps each word once', () => {
    checker.setCustomWords(['Karoo', ' Karoo ', '', '   ']);
    expect(checker.customWords()).toEqual(['Karoo']);
  });
});
