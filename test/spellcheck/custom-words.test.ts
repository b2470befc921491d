import { describe, it, expect } from 'vitest';
import { CustomWords } from '../../src/spellcheck/custom-words.js';
import type { WordDictionary } from '../../src/spellcheck/hunspell.js';

/** A dictionary that knows `base` exactly (no case rules) and records what is added and removed. */
function recordingDictionary(base: string[]) {
  const accepted = new Set(base);
  const calls: string[] = [];
  const dictionary: WordDictionary = {
    spell: (word) => accepted.has(word),
    suggest: () => [],
    addWord: (word) => {
      calls.push(`add ${word}`);
      accepted.add(word);
    },
    removeWord: (word) => {
      calls.push(`remove ${word}`);
      accepted.delete(word);
    },
  };
  return { dictionary, calls };
}

describe('CustomWords', () => {
  it('adds only the words the dictionary does not know, and removes only those', () => {
    const { dictionary, calls } = recordingDictionary(['inadimplente']);
    const custom = new CustomWords(dictionary);
    custom.replace(new Set(['inadimplente', 'Karoo']));
    custom.replace(new Set());
    expect(calls).toEqual(['add Karoo', 'remove Karoo']);
  });

  it('leaves a word that stays in the list alone', () => {
    const { dictionary, calls } = recordingDictionary([]);
    const custom = new CustomWords(dictionary);
    custom.replace(new Set(['Karoo', 'Bimer']));
    custom.replace(new Set(['Bimer']));
    expect(calls).toEqual(['add Karoo', 'add Bimer', 'remove Karoo']);
  });

  it('re-adds a removed case form that a new lower-case word must cover', () => {
    const { dictionary, calls } = recordingDictionary([]);
    const custom = new CustomWords(dictionary);
    custom.replace(new Set(['Bimer']));
    custom.replace(new Set());
    custom.replace(new Set(['bimer']));
    expect(calls).toEqual(['add Bimer', 'remove Bimer', 'add bimer', 'add Bimer']);
  });

  it('lists the words as given, sorted', () => {
    const { dictionary } = recordingDictionary(['inadimplente']);
    const custom = new CustomWords(dictionary);
    custom.replace(new Set(['Karoo', 'inadimplente', 'Alterdata']));
    expect(custom.list()).toEqual(['Alterdata', 'inadimplente', 'Karoo']);
  });
});
