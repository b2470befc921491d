// Builds the suggestion index from the dictionary files; runs in its own worker thread
// (index-build-thread.ts) because the ~2 million forms take seconds of CPU to expand and sort.

import { createHash } from 'node:crypto';
import { parseAffixes, wordForms } from './affixes.js';
import { SuggestionIndex } from './suggestion-index.js';

/** Bump when the index's content or file layout changes: older cache files are then rebuilt. */
const FORMAT = 'pt-BR forms without clitics, v1';

/** What an index file must have been built from: the exact dictionary files and this format. */
export function indexSource(files: { aff: Buffer; dic: Buffer }): string {
  return createHash('sha256').update(FORMAT).update('\0').update(files.aff).update('\0').update(files.dic).digest('hex');
}

export function buildIndex(files: { aff: Buffer; dic: Buffer }): SuggestionIndex {
  return SuggestionIndex.build(wordForms(files.dic.toString('utf8'), parseAffixes(files.aff.toString('utf8'))));
}
