// A scratch copy of a built-in mapping set that a test edits, as a deployment would its own
// folder in ERP_MAPPINGS_DIR.

import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BUILTIN_MAPPINGS_DIR } from '../../src/connectors/mapping-set.js';

export interface ScratchSets {
  dir: string;
  /** Rewrites a file of a set: `edit` gets its text and returns the new one. */
  edit(set: string, file: string, edit: (text: string) => string): Promise<void>;
  /** Rewrites connector.json as JSON. */
  editJson(set: string, file: string, edit: (json: any) => void): Promise<void>;
  remove(): Promise<void>;
}

export async function scratchSets(...sets: string[]): Promise<ScratchSets> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ponte-sets-'));
  for (const set of sets) await cp(path.join(BUILTIN_MAPPINGS_DIR, set), path.join(dir, set), { recursive: true });
  const edit = async (set: string, file: string, change: (text: string) => string) => {
    const target = path.join(dir, set, file);
    await writeFile(target, change(await readFile(target, 'utf8').catch(() => '')));
  };
  return {
    dir,
    edit,
    editJson: (set, file, change) =>
      edit(set, file, (text) => {
        const json = JSON.parse(text);
        change(json);
        return JSON.stringify(json, null, 2);
      }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
