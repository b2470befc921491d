// Suggestions from the pt-BR dictionary's index: common slips of Brazilian support agents find
// the intended word, Hunspell alone still decides what is flagged, and the index's cache file
// under its directory is reused, or rebuilt when it does not match the dictionary.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Spellchecker } from '../../src/spellcheck/spellchecker.js';
import { loadHunspell, type WordDictionary } from '../../src/spellcheck/hunspell.js';
import { loadSuggestionIndex, type LoadedIndex } from '../../src/spellcheck/suggestion-cache.js';
import { tokenize } from '../../src/spellcheck/tokenize.js';

/** Written → meant: missing accents, doubled or missing letters, neighbouring keys, swaps. */
const SLIPS: Record<string, string> = {
  tambem: 'também', nao: 'não', voce: 'você', relatorio: 'relatório', sistena: 'sistema',
  impresora: 'impressora', atendimentoo: 'atendimento', configuraçao: 'configuração', emissao: 'emissão',
  eletronica: 'eletrônica', obrigadoo: 'obrigado', pesquiza: 'pesquisa', cancelamemto: 'cancelamento',
  faturamneto: 'faturamento', cadastrro: 'cadastro', seginte: 'seguinte', boletu: 'boleto', excessão: 'exceção',
  orçamentoo: 'orçamento', codigo: 'código', informaçoes: 'informações', usuario: 'usuário',
  'escreve-la': 'escrevê-la', mecher: 'mexer', reinstalarr: 'reinstalar', Tambem: 'Também', ATENÇAO: 'ATENÇÃO',
};

const CORPUS = `Bom dia! O cliente informou que o sistena nao emite a nota fiscal eletronica desde ontem.
Verifiquei o cadastro, a configuraçao do certificado digital e o relatorio de faturamento; tambem
reinstalei o modulo fiscal. Obrigado pela paciência, seguimos com o atendimento. Atenciosamente, equipe.`;

describe('suggestions from the dictionary index', () => {
  let checker: Spellchecker;
  let hunspell: WordDictionary;
  let loaded: LoadedIndex;
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ponte-index-test-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    checker = await Spellchecker.load();
    hunspell = await loadHunspell();
    // The first load builds the index (in a worker thread) unless an earlier run cached it.
    loaded = await checker.useIndex(join(tmpdir(), 'ponte-spellcheck'));
  }, 300_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('suggests the intended word for common slips of support agents', () => {
    const missed = Object.entries(SLIPS).filter(([written, meant]) => !checker.check(written)[0]?.suggestions.includes(meant));
    expect(missed).toEqual([]);
  });

  it('puts the accented word first for a missing accent, in the case it was written', () => {
    expect(checker.check('tambem')[0]?.suggestions[0]).toBe('também');
    expect(checker.check('nao')[0]?.suggestions[0]).toBe('não');
    expect(checker.check('Tambem')[0]?.suggestions[0]).toBe('Também');
    expect(checker.check('configuraçao')[0]?.suggestions[0]).toBe('configuração');
  });

  it('flags exactly what Hunspell rejects, and offers only words it accepts', () => {
    for (const { word } of tokenize(CORPUS)) {
      expect(checker.check(word).length === 0, word).toBe(hunspell.spell(word));
    }
    for (const misspelling of checker.check(`${CORPUS} ${Object.keys(SLIPS).join(' ')}`)) {
      for (const suggestion of misspelling.suggestions) expect(hunspell.spell(suggestion), `${misspelling.word} → ${suggestion}`).toBe(true);
    }
  });

  it('reuses a cache file built from the same dictionary', async () => {
    const dir = freshDir();
    copyFileSync(loaded.file, join(dir, basename(loaded.file)));
    const again = await loadSuggestionIndex(dir);
    expect(again.built).toBe(false);
    expect(again.index.size).toBe(loaded.index.size);
  });

  it('rebuilds a torn cache file, and removes the files of another dictionary', async () => {
    const dir = freshDir();
    const name = basename(loaded.file);
    writeFileSync(join(dir, name), readFileSync(loaded.file).subarray(0, 1000));
    writeFileSync(join(dir, 'suggestions-0123456789abcdef0123456789abcdef.idx'), 'an index of another dictionary');
    const rebuilt = await loadSuggestionIndex(dir);
    expect(rebuilt.built).toBe(true);
    expect(rebuilt.writeError).toBeUndefined();
    expect(readdirSync(dir)).toEqual([name]);
    expect(existsSync(rebuilt.file)).toBe(true);
    expect((await loadSuggestionIndex(dir)).built).toBe(false);
    expect(rebuilt.index.has('também')).toBe(true);
  }, 300_000);
});
