// The suggestion index's cache file (under DATA_DIR by default): read when it was built from the
// same dictionary files, otherwise built once in a worker thread and written for the next start.

import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseAffixes } from './affixes.js';
import { readDictionaryFiles } from './hunspell.js';
import { indexSource } from './index-build.js';
import { SuggestionIndex } from './suggestion-index.js';
import type { AffixHints } from './suggester.js';

const PREFIX = 'suggestions-';
const SUFFIX = '.idx';

export interface LoadedIndex {
  index: SuggestionIndex;
  /** The .aff's prefixes and REP pairs, for the suggester. */
  hints: AffixHints;
  file: string;
  /** False when the cache file was reused. */
  built: boolean;
  /** Why the built index could not be written (it is used all the same, and rebuilt next start). */
  writeError?: string;
}

/** The cache file's name carries the dictionary's hash: another dictionary never reads it. */
export async function loadSuggestionIndex(dir: string): Promise<LoadedIndex> {
  const files = await readDictionaryFiles();
  const source = indexSource(files);
  const { prefixes, replacements } = parseAffixes(files.aff.toString('utf8'));
  const hints = { prefixes, replacements };
  const file = join(dir, `${PREFIX}${source.slice(0, 32)}${SUFFIX}`);
  const cached = await readFile(file).catch(() => undefined);
  const reused = cached && SuggestionIndex.deserialize(cached, source);
  if (reused) return { index: reused, hints, file, built: false };
  const { bytes, writeError } = await buildInThread(file);
  const index = SuggestionIndex.deserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), source);
  if (!index) throw new Error('the suggestion index built from the dictionary does not read back');
  return { index, hints, file, built: true, writeError };
}

/**
 * Written whole or not at all (a temporary file renamed into place), so concurrent starts on
 * one DATA_DIR never read a torn file; cache files of other dictionaries are removed.
 */
export async function writeIndexFile(file: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, bytes, { mode: 0o600 });
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
  for (const name of await readdir(dir)) {
    if (name !== basename(file) && name.startsWith(PREFIX) && name.endsWith(SUFFIX)) await rm(join(dir, name), { force: true });
  }
}

function buildInThread(file: string): Promise<{ bytes: Uint8Array; writeError?: string }> {
  const here = import.meta.url;
  // From sources (.ts) the thread needs tsx registered first, as the spell-check thread does.
  const worker = here.endsWith('.ts')
    ? new Worker(new URL('../tools/spellcheck/check-thread-boot.mjs', here), { workerData: { entry: new URL('./index-build-thread.ts', here).href, file } })
    : new Worker(new URL('./index-build-thread.js', here), { workerData: { file } });
  worker.unref();
  return new Promise((resolve, reject) => {
    worker.once('message', (answer: { bytes: Uint8Array; writeError?: string }) => resolve(answer));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the suggestion index build stopped (exit code ${code})`)));
  });
}
