// Finds the misspelled words of a support message: pt-BR Hunspell plus the account's custom dictionary.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomWords } from './custom-words.js';
import { loadHunspell, type WordDictionary } from './hunspell.js';
import { LruCache } from './lru-cache.js';
import { Suggester } from './suggester.js';
import { loadSuggestionIndex, type LoadedIndex } from './suggestion-cache.js';
import { hyphenParts, tokenize, type WordToken } from './tokenize.js';

export interface Misspelling {
  /** As written in the message. */
  word: string;
  /** UTF-16 index of the word in the text given to `check`. */
  offset: number;
  /** Best first, at most five; may be empty. */
  suggestions: string[];
  /** Set when the request's suggestion budget ran out before this word: ask again for it. */
  suggestionsSkipped?: true;
}

/**
 * How much suggesting one check may do: Hunspell's suggest costs 30–500 ms per new word, so
 * a text of nonsense would otherwise hold the checker for seconds. Words past the budget are
 * still reported, without suggestions.
 */
export interface SuggestionBudget {
  /** Words whose suggestions are not cached yet that may be looked up. */
  newWords: number;
  /** Stop looking up suggestions after this instant (ms since the epoch). */
  until: number;
}

const UNLIMITED: SuggestionBudget = { newWords: Number.POSITIVE_INFINITY, until: Number.POSITIVE_INFINITY };

const MAX_SUGGESTIONS = 5;
// Agents repeat the same slips, so a small cache saves even the index's few milliseconds (and
// Hunspell's 30–500 ms per word until the index is ready).
const SUGGESTION_CACHE_SIZE = 1_000;
/** Without a directory (library use, tests) the index is cached in the system's temporary directory. */
const DEFAULT_INDEX_DIR = join(tmpdir(), 'ponte-spellcheck');

export interface SpellcheckerOptions {
  /** Where the suggestion index is cached (the server passes SPELLCHECK_INDEX_DIR or DATA_DIR/spellcheck). */
  indexDir?: string;
}

let sharedChecker: Promise<Spellchecker> | undefined;

export class Spellchecker {
  readonly #dictionary: WordDictionary;
  readonly #customWords: CustomWords;
  readonly #suggestions = new LruCache<string, string[]>(SUGGESTION_CACHE_SIZE);
  /** Set once the index is loaded; until then (or if it cannot be built) Hunspell suggests. */
  #suggester: Suggester | undefined;
  #index: Promise<LoadedIndex> | undefined;

  constructor(dictionary: WordDictionary) {
    this.#dictionary = dictionary;
    this.#customWords = new CustomWords(dictionary);
  }

  /**
   * The process-wide checker. Hunspell's runtime word list belongs to its one shared
   * instance, so two checkers over it would silently share (and undo) each other's
   * custom words; handing out a single checker keeps that state in one owner.
   */
  static load(options: SpellcheckerOptions = {}): Promise<Spellchecker> {
    sharedChecker ??= loadHunspell().then(
      (dictionary) => {
        const checker = new Spellchecker(dictionary);
        checker.useIndex(options.indexDir ?? DEFAULT_INDEX_DIR).catch(() => undefined);
        return checker;
      },
      (error: unknown) => {
        sharedChecker = undefined;
        throw error;
      },
    );
    return sharedChecker;
  }

  /**
   * Loads (or builds, in a worker thread) the suggestion index in `dir` and suggests from it
   * once it is there; checks answer meanwhile. A second call returns the first one's promise.
   * If it fails, Hunspell keeps suggesting.
   */
  useIndex(dir: string): Promise<LoadedIndex> {
    this.#index ??= loadSuggestionIndex(dir).then((loaded) => {
      const suggester = new Suggester(loaded.index, loaded.hints, (word) => this.#accepts(word));
      suggester.setCustomWords(this.#customWords.list());
      this.#suggester = suggester;
      this.#suggestions.clear();
      return loaded;
    });
    return this.#index;
  }

  check(text: string, budget: SuggestionBudget = UNLIMITED, now: () => number = Date.now): Misspelling[] {
    const misspellings: Misspelling[] = [];
    let newWords = 0;
    for (const token of tokenize(text)) {
      if (this.#accepts(token.word)) continue;
      for (const wrong of this.#misspelledParts(token)) {
        const cached = this.#cached(wrong.word);
        if (cached) {
          misspellings.push({ word: wrong.word, offset: wrong.offset, suggestions: cached });
        } else if (newWords < budget.newWords && now() < budget.until) {
          newWords += 1;
          misspellings.push({ word: wrong.word, offset: wrong.offset, suggestions: this.#suggest(wrong.word) });
        } else {
          misspellings.push({ word: wrong.word, offset: wrong.offset, suggestions: [], suggestionsSkipped: true });
        }
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
    this.#suggester?.setCustomWords(forms);
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

  #cached(word: string): string[] | undefined {
    const suggestions = this.#suggestions.get(dictionaryForm(word));
    return suggestions && [...suggestions];
  }

  #suggest(word: string): string[] {
    const form = dictionaryForm(word);
    let suggestions = this.#suggestions.get(form);
    if (suggestions === undefined) {
      suggestions = this.#suggester ? this.#suggester.suggest(form, MAX_SUGGESTIONS) : this.#dictionary.suggest(form).slice(0, MAX_SUGGESTIONS);
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
