// Worker-thread entry: builds the suggestion index and writes its cache file, so the thread
// that answers spell-checks keeps answering (with Hunspell's own suggestions) meanwhile.

import { parentPort, workerData } from 'node:worker_threads';
import { readDictionaryFiles } from './hunspell.js';
import { buildIndex, indexSource } from './index-build.js';
import { writeIndexFile } from './suggestion-cache.js';

const port = parentPort;
if (!port) throw new Error('index-build-thread.ts runs only as a worker thread');

const { file } = workerData as { file: string };
const files = await readDictionaryFiles();
const bytes = buildIndex(files).serialize(indexSource(files));
let writeError: string | undefined;
try {
  await writeIndexFile(file, bytes);
} catch (err) {
  writeError = (err as Error).message;
}
const copy = new Uint8Array(bytes);
port.postMessage({ bytes: copy, writeError }, [copy.buffer]);
