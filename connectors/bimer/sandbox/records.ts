// The sandbox's records on disk (cases and its number series), so a restarted `ponte serve`
// keeps the cases it created and never gives a process number twice.

import { mkdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxCase, SandboxState } from './state.js';

interface SavedRecords { version: 1; cases: SandboxCase[]; nextProcessNumber: number; nextOpinionId: number }

/** Reads the records saved in `file` into the state; a missing file is a first start. */
export function loadRecords(file: string, state: SandboxState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const saved = JSON.parse(text) as SavedRecords;
  if (saved.version !== 1 || !Array.isArray(saved.cases) || !Number.isInteger(saved.nextProcessNumber) || !Number.isInteger(saved.nextOpinionId)) {
    throw new Error(`the sandbox records in ${file} are not readable; move the file away to start afresh`);
  }
  state.cases = saved.cases;
  // Never below the series' start, whatever the file says.
  state.nextProcessNumber = Math.max(state.nextProcessNumber, saved.nextProcessNumber);
  state.nextOpinionId = Math.max(state.nextOpinionId, saved.nextOpinionId);
}

/**
 * Saves the records to `file` (written aside, then renamed: a crash leaves the old or the new
 * file, never half of one). Saves are chained, so they land in the order the changes were made.
 */
export function recordsSaver(file: string, state: SandboxState): () => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return () => {
    const text = JSON.stringify({ version: 1, cases: state.cases, nextProcessNumber: state.nextProcessNumber, nextOpinionId: state.nextOpinionId } satisfies SavedRecords);
    last = last.catch(() => undefined).then(async () => {
      const temp = `${file}.${process.pid}.tmp`;
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(temp, text, { mode: 0o600 });
      await rename(temp, file);
    });
    return last;
  };
}
