import { describe, it, expect } from 'vitest';
import { loadHunspell } from '../../src/spellcheck/hunspell.js';

describe('the shared pt-BR Hunspell dictionary', () => {
  // Runs first, so that this load is the one that instantiates the WASM runtime.
  it('leaves no uncaughtException listener of the WASM runtime behind', async () => {
    const before = process.listeners('uncaughtException');
    await loadHunspell();
    expect(process.listeners('uncaughtException')).toEqual(before);
  });

  it('is loaded once: concurrent callers get the same instance', async () => {
    const [a, b] = await Promise.all([loadHunspell(), loadHunspell()]);
    expect(a).toBe(b);
    expect(await loadHunspell()).toBe(a);
  });

  it('spells Brazilian Portuguese, including a lower-case word capitalized', async () => {
    const hunspell = await loadHunspell();
    expect(hunspell.spell('eletrônica')).toBe(true);
    expect(hunspell.spell('Atendimento')).toBe(true);
    expect(hunspell.spell('atendimentoo')).toBe(false);
    expect(hunspell.suggest('atendimentoo')).toContain('atendimento');
  });

  it('adds and removes runtime words', async () => {
    const hunspell = await loadHunspell();
    expect(hunspell.spell('Zorblax')).toBe(false);
    hunspell.addWord('Zorblax');
    expect(hunspell.spell('Zorblax')).toBe(true);
    hunspell.removeWord('Zorblax');
    expect(hunspell.spell('Zorblax')).toBe(false);
  });
});
