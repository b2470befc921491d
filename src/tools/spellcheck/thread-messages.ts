// The messages between the main thread and the spell-check worker thread.

import type { Misspelling } from '../../spellcheck/spellchecker.js';

export type ThreadRequest =
  | { id: number; kind: 'check'; text: string }
  | { id: number; kind: 'words'; words: string[] };

export type ThreadAnswer =
  | { id: number; ok: true; misspellings?: Misspelling[] }
  | { id: number; ok: false; error: { code: string; message: string } };
