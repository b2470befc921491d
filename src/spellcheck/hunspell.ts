// The process-wide pt-BR Hunspell dictionary: hunspell-asm's WASM module and dictionary-pt loaded once, lazily.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UnavailableError } from '../errors.js';

/** What the spell checker needs from a dictionary; tests may pass a fake. */
export interface WordDictionary {
  spell(word: string): boolean;
  suggest(word: string): string[];
  /** Runtime-only: lives as long as the process, never written to the .dic file. */
  addWord(word: string): void;
  removeWord(word: string): void;
}

let shared: Promise<WordDictionary> | undefined;

/**
 * Building the Hunspell instance parses ~5 MB of affix/dictionary data (≈0.5 s of CPU and
 * tens of MB of WASM heap), so every caller shares one instance; concurrent first calls
 * share the same promise. A failed load is forgotten so a later call can retry.
 */
export function loadHunspell(): Promise<WordDictionary> {
  shared ??= createDictionary().catch((cause: unknown) => {
    shared = undefined;
    throw new UnavailableError('SPELLCHECK_UNAVAILABLE', 'could not load the pt-BR Hunspell dictionary', cause);
  });
  return shared;
}

async function createDictionary(): Promise<WordDictionary> {
  const [factory, files] = await Promise.all([loadModuleWithoutCrashHandler(), readDictionaryFiles()]);
  const affPath = factory.mountBuffer(files.aff, 'pt-BR.aff');
  const dicPath = factory.mountBuffer(files.dic, 'pt-BR.dic');
  try {
    const hunspell = factory.create(affPath, dicPath);
    return {
      spell: (word) => hunspell.spell(word),
      suggest: (word) => hunspell.suggest(word),
      addWord: (word) => hunspell.addWord(word),
      removeWord: (word) => hunspell.removeWord(word),
    };
  } finally {
    // Hunspell has parsed both files into its own tables; the in-memory copies are dead weight.
    factory.unmount(affPath);
    factory.unmount(dicPath);
  }
}

/**
 * The Emscripten runtime inside hunspell-asm adds a process 'uncaughtException' listener
 * that rethrows, which pre-empts the engine's own crash handling (and turns exit code 1
 * into 7). It only matters for Emscripten's exit(), which Hunspell never calls, so drop it.
 */
async function loadModuleWithoutCrashHandler(): ReturnType<typeof import('hunspell-asm').loadModule> {
  const before = new Set(process.listeners('uncaughtException'));
  try {
    const { loadModule } = await import('hunspell-asm');
    return await loadModule();
  } finally {
    for (const listener of process.listeners('uncaughtException')) {
      if (!before.has(listener)) process.removeListener('uncaughtException', listener);
    }
  }
}

/**
 * dictionary-pt only exports "." (whose default export reads both files with top-level
 * await and keeps them referenced forever), so resolve its entry point and read the
 * sibling files ourselves: the buffers can then be collected once Hunspell has parsed them.
 */
export async function readDictionaryFiles(): Promise<{ aff: Buffer; dic: Buffer }> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dictionary-pt'));
  const [aff, dic] = await Promise.all([
    readFile(join(packageDir, 'index.aff')),
    readFile(join(packageDir, 'index.dic')),
  ]);
  return { aff, dic };
}
