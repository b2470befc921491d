// Finds the misspelled words of a support message: pt-BR Hunspell plus the account's custom dictionary.

import { CustomWords } from './custom-words.js';
import { loadHunspell, type WordDictionary } from './hunspell.js';
import { LruCache } from './lru-cache.js';
import { hyphenParts, tokenize, type WordToken } from './tokenize.js';

export interface Misspelling {
  /** As written in the message. */
  word: string;
  /** UTF-16 index of the word in the text given to `check`. */
  offset: number;
  /** Best first, at most five; may be empty. */
  suggestions: string[];
}

const MAX_SUGGESTIONS = 5;
// Hunspell's suggest costs 30–500 ms per word on this dictionary (spell costs ~0.03 ms);
// agents repeat the same slips, so a small cache removes most of that cost.
const SUGGESTION_CACHE_SIZE = 1_000;

let sharedChecker: Promise<Spellchecker> | undefined;

export class Spellchecker {
  readonly #dictionary: WordDictionary;
  readonly #customWords: CustomWords;
  readonly #suggestions = new LruCache<string, string[]>(SUGGESTION_CACHE_SIZE);

  constructor(dictionary: WordDictionary) {
    this.#dictionary = dictionary;
    this.#customWords = new CustomWords(dictionary);
  }

  /**
   * The process-wide checker. Hunspell's runtime word list belongs to its one shared
   * instance, so two checkers over it would silently share (and undo) each other's
   * custom words; handing out a single checker keeps that state in one owner.
   */
  static load(): Promise<Spellchecker> {
    sharedChecker ??= loadHunspell().then(
      (dictionary) => new Spellchecker(dictionary),
      (error: unknown) => {
        sharedChecker = undefined;
        throw error;
      },
    );
    return sharedChecker;
  }

  check(text: string): Misspelling[] {
    const misspellings: Misspelling[] = [];
    for (const token of tokenize(text)) {
      if (this.#accepts(token.word)) continue;
      for (const wrong of this.#misspelledParts(token)) {
        misspellings.push({ word: wrong.word, offset: wrong.offset, suggestions: this.#suggest(wrong.word) });
      }
    }
    return misspellings;
  }

  /**
   * Replaces the custom dictionary. Words Hunspell already knows are listed but never added,
   * so removing them later cannot touch the base dictionary.
   */
  setCustomWords(words: Iterable<string>): void {
    const forms = new Set<string>();
    for (const word of words) {
      const form = dictionaryForm(word.trim());
      if (form !== '') forms.add(form);
    }
    this.#customWords.replace(forms);
    // Custom words change both what is flagged and what Hunspell suggests.
    this.#suggestions.clear();
  }

  customWords(): string[] {
    return this.#customWords.list();
  }

  #accepts(word: string): boolean {
    return this.#dictionary.spell(dictionaryForm(word));
  }

  /**
   * A hyphenated word Hunspell rejects as a whole is blamed on the parts it also rejects
   * ("guarda-chuvaa" → "chuvaa"); if every part is a word, the combination itself is wrong
   * ("escreve-la" for "escrevê-la") and the whole is reported.
   */
  #misspelledParts(token: WordToken): WordToken[] {
    const parts = hyphenParts(token);
    if (parts.length === 1) return [token];
    const wrongParts = parts.filter((part) => !this.#accepts(part.word));
    return wrongParts.length > 0 ? wrongParts : [token];
  }

  #suggest(word: string): string[] {
    const form = dictionaryForm(word);
    let suggestions = this.#suggestions.get(form);
    if (suggestions === undefined) {
      suggestions = this.#dictionary.suggest(form).slice(0, MAX_SUGGESTIONS);
      this.#suggestions.set(form, suggestions);
    }
    // Callers own their result; the cached array must not be mutated through it.
    return [...suggestions];
  }
}

/** The spelling Hunspell's dictionary uses: composed accents and the ASCII apostrophe. */
function dictionaryForm(word: string): string {
  return word.normalize('NFC').replace(/[’‘]/gu, "'");
}
