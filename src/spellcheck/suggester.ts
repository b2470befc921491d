// Suggestions for a misspelled word from the dictionary's index (plus the custom words), ranked by
// what the slip costs in Portuguese typing, each one checked by Hunspell before it is offered.

import { COST, editCost } from './edit-costs.js';
import type { Candidate, SuggestionIndex } from './suggestion-index.js';

/** One edit (plus missing accents) first; two only when one finds nothing (the costly walk). */
const ONE_EDIT = COST.edit + 3;
const TWO_EDITS = 2 * COST.edit + 3;
/** Two edits on a word this short match hundreds of unrelated words. */
const SHORT_WORD = 4;
/** A known prefix is tried off only when what remains is a word of its own. */
const MIN_AFTER_PREFIX = 4;
/** A confusion the dictionary lists (REP: "ch" for "x", "ss" for "ç") costs less than one edit. */
const REPLACEMENT = COST.near - 1;

/** What the suggester takes from the .aff besides the index. */
export interface AffixHints {
  /** The strings prefix rules add ("re", "des"): forms with them are not in the index. */
  prefixes: readonly string[];
  /** REP pairs: Portuguese confusions of a part of a word, tried as whole replacements. */
  replacements: ReadonlyArray<readonly [from: string, to: string]>;
}

export class Suggester {
  readonly #index: SuggestionIndex;
  readonly #hints: AffixHints;
  readonly #accepts: (word: string) => boolean;
  #customWords: string[] = [];

  /** `accepts` is Hunspell's decision: a candidate it would flag is never offered. */
  constructor(index: SuggestionIndex, hints: AffixHints, accepts: (word: string) => boolean) {
    this.#index = index;
    this.#hints = hints;
    this.#accepts = accepts;
  }

  setCustomWords(words: Iterable<string>): void {
    this.#customWords = [...words];
  }

  /** At most `limit` suggestions for `written`, best first, in the case it was written in. */
  suggest(written: string, limit: number): string[] {
    let offered = this.#ranked(written, ONE_EDIT, limit);
    if (offered.length === 0 && written.length > SHORT_WORD) offered = this.#ranked(written, TWO_EDITS, limit);
    return offered;
  }

  #ranked(written: string, maxCost: number, limit: number): string[] {
    const candidates = this.#candidates(written, maxCost);
    candidates.sort((a, b) => a.cost - b.cost
      || Number(b.stem) - Number(a.stem)
      || Math.abs(a.word.length - written.length) - Math.abs(b.word.length - written.length)
      || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    const offered: string[] = [];
    for (const candidate of candidates) {
      const word = inCaseOf(written, candidate.word);
      if (word === written || offered.includes(word) || !this.#accepts(word)) continue;
      offered.push(word);
      if (offered.length === limit) break;
    }
    return offered;
  }

  #candidates(written: string, maxCost: number): Candidate[] {
    const found = this.#index.search(written, maxCost);
    const codes = codesOf(written);
    for (const word of this.#customWords) {
      const cost = editCost(codes, codesOf(word));
      if (cost <= maxCost) found.push({ word, cost, stem: true });
    }
    // "escreve-la": the part before the hyphen is what lacks its accent ("escrevê-la"); forms
    // with pronouns are not in the index, so the part is corrected and the rest put back.
    const hyphen = written.indexOf('-');
    if (hyphen > 0) {
      const rest = written.slice(hyphen);
      for (const c of this.#index.search(written.slice(0, hyphen), maxCost)) found.push({ ...c, word: c.word + rest });
    }
    // Prefixed forms ("reinstalou") are not in the index either: the longest known prefix is
    // kept as written and the remainder corrected.
    const lower = written.toLowerCase();
    const prefix = this.#hints.prefixes.find((p) => lower.startsWith(p) && written.length - p.length >= MIN_AFTER_PREFIX);
    if (prefix) {
      const head = written.slice(0, prefix.length);
      for (const c of this.#index.search(written.slice(prefix.length), maxCost)) found.push({ ...c, word: head + c.word, stem: false });
    }
    for (const word of this.#replaced(lower)) found.push({ word, cost: REPLACEMENT, stem: false });
    return found;
  }

  /** The forms of the index that one REP pair of the dictionary turns `lower` into ("mecher" → "mexer"). */
  #replaced(lower: string): string[] {
    const out: string[] = [];
    for (const [rawFrom, rawTo] of this.#hints.replacements) {
      // "_" stands for a space: a split into two words is not one word to look up.
      if (rawTo.includes('_') || rawFrom.includes('_')) continue;
      const atStart = rawFrom.startsWith('^');
      const atEnd = rawFrom.endsWith('$');
      const from = rawFrom.slice(atStart ? 1 : 0, atEnd ? -1 : undefined);
      if (from === '') continue;
      for (let at = lower.indexOf(from); at >= 0; at = lower.indexOf(from, at + 1)) {
        if ((atStart && at !== 0) || (atEnd && at + from.length !== lower.length)) continue;
        const variant = lower.slice(0, at) + rawTo + lower.slice(at + from.length);
        if (this.#index.has(variant)) out.push(variant);
      }
    }
    return out;
  }
}

/**
 * The suggestion in the case the word was written in: "NAO" → "NÃO", "Tambem" → "Também";
 * a lower-case slip keeps the dictionary's case ("brasilia" → "Brasília").
 */
export function inCaseOf(written: string, suggestion: string): string {
  if (written.length > 1 && written === written.toUpperCase() && written !== written.toLowerCase()) return suggestion.toUpperCase();
  const first = written.charAt(0);
  if (first !== first.toLowerCase()) return suggestion.charAt(0).toUpperCase() + suggestion.slice(1);
  return suggestion;
}

function codesOf(word: string): Int32Array {
  return Int32Array.from(word, (char) => char.charCodeAt(0));
}
