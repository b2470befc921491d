// The messages between the main thread and the spell-check worker thread.

import type { Misspelling } from '../../spellcheck/spellchecker.js';

/** The budget as sent: a count of new words and a duration, started when the thread picks the request up. */
export interface ThreadBudget { newWords: number; ms: number }

export type ThreadRequest =
  | { id: number; kind: 'check'; text: string; budget: ThreadBudget }
  | { id: number; kind: 'words'; words: string[] };

export type ThreadAnswer =
  | { id: number; ok: true; misspellings?: Misspelling[] }
  | { id: number; ok: false; error: { code: string; message: string } };
