// Keeps the account's custom dictionary in Hunspell's runtime word list, in step with what the admin saved.

import type { WordDictionary } from './hunspell.js';

/**
 * Hunspell has no real "delete": removeWord leaves the entry behind marked FORBIDDEN, and
 * a forbidden "Bimer" then also rejects "Bimer" and "BIMER" for a later custom "bimer".
 * addWord on a forbidden entry clears the mark, so such leftovers ("tombstones") are
 * re-added whenever a wanted word's accepted case forms include them.
 */
export class CustomWords {
  readonly #dictionary: WordDictionary;
  #words = new Set<string>();
  /** Forms we put into Hunspell: the only ones we ever remove, so base words stay intact. */
  readonly #added = new Set<string>();
  readonly #tombstones = new Set<string>();

  constructor(dictionary: WordDictionary) {
    this.#dictionary = dictionary;
  }

  list(): string[] {
    return [...this.#words].sort((a, b) => a.localeCompare(b, 'pt-BR'));
  }

  /** Makes Hunspell accept exactly the base dictionary plus `words` (already in dictionary form). */
  replace(words: ReadonlySet<string>): void {
    const wantedForms = new Set([...words].flatMap(acceptedCaseForms));
    for (const form of this.#added) {
      if (wantedForms.has(form)) continue;
      this.#dictionary.removeWord(form);
      this.#added.delete(form);
      this.#tombstones.add(form);
    }
    // Every word is re-checked, not only the new ones: "Bimer" may have been accepted only
    // through a just-removed "bimer" and now needs an entry of its own.
    for (const word of words) {
      if (!this.#added.has(word) && !this.#dictionary.spell(word)) this.#add(word);
      for (const form of acceptedCaseForms(word)) {
        if (this.#tombstones.has(form)) this.#add(form);
      }
    }
    this.#words = new Set(words);
  }

  #add(form: string): void {
    this.#dictionary.addWord(form);
    this.#added.add(form);
    this.#tombstones.delete(form);
  }
}

/** Hunspell's case rule: "bimer" also allows "Bimer" and "BIMER"; "Bimer" allows "BIMER". */
function acceptedCaseForms(word: string): string[] {
  const forms = [word, word.toUpperCase()];
  if (word === word.toLowerCase()) forms.push(word.charAt(0).toUpperCase() + word.slice(1));
  return forms;
}
