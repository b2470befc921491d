// Embedded mode: PGlite on disk in DATA_DIR, served by pglite-socket so that ponte and BullMQ
// reach it through `pg` exactly as they reach a real PostgreSQL. The database runs in a thread
// of its own (src/store/embedded-thread.ts), on the machine's second core while the server's
// event loop works, and starts while the rest of ponte does: `ponte serve` on an existing
// database opens it before loading the rest of ponte (openEarly).

import { chmodSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { privateDir } from '../secrets/private-files.js';
import type { EmbeddedThreadData, EmbeddedThreadMessage } from './embedded-thread.js';

export interface EmbeddedDatabase {
  /** A `pg` connection string to the database thread's server. */
  url: string;
  stop(): Promise<void>;
}

/** The thread's module beside this one: compiled (dist/) as is, from sources through tsx. */
function threadModule(): { file: URL; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith('.ts');
  const file = new URL(fromSources ? './embedded-thread.ts' : './embedded-thread.js', import.meta.url);
  const execArgv = fromSources ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  return { file, execArgv };
}

let early: { dir: string; starting: Promise<EmbeddedDatabase> } | undefined;

/**
 * Opens the embedded database of DATA_DIR now, when DATABASE_URL is unset and the folder already
 * holds one: PGlite opens (≈0.5 s) while ponte's modules load (≈1 s), instead of after them. The
 * environment is read as the config reads it (empty = unset); the config is still checked later,
 * and startEmbeddedDatabase takes this one over when its folder is the same. A new database is
 * not created here: that waits for a config known to be good.
 */
export function openEarly(env: NodeJS.ProcessEnv): void {
  if (env.DATABASE_URL) return;
  const dataDir = env.DATA_DIR || './data';
  if (!existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION'))) return;
  // All of it synchronous: the module loading that follows holds this thread's event loop, and
  // the database thread must be running before it does.
  const dir = path.resolve(dataDir);
  try {
    chmodSync(dir, 0o700);
  } catch {
    return; // the start's own path says what is wrong with the folder
  }
  const starting = launch(dir);
  starting.catch(() => undefined);
  early = { dir, starting };
}

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const opened = early;
  early = undefined;
  if (opened) {
    if (opened.dir === path.resolve(dataDir)) return opened.starting;
    await opened.starting.then((db) => db.stop(), () => undefined);
  }
  return launch(await privateDir(dataDir));
}

/** Starts the thread at once (synchronously), on `dir` already made private. */
async function launch(dir: string): Promise<EmbeddedDatabase> {
  // The database files and the socket are ponte's alone: no group or other bits on anything
  // this process creates from now on (a process-wide setting, so set here, not in the thread).
  process.umask(0o077);
  const { file, execArgv } = threadModule();
  const thread = new Worker(file, { execArgv, workerData: { dir } satisfies EmbeddedThreadData });
  let stopping = false;
  const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
  const first = await new Promise<EmbeddedThreadMessage>((resolve) => {
    thread.once('message', resolve);
    thread.once('error', (err) => resolve({ error: err.message }));
    void exited.then((code) => resolve({ error: `the embedded database thread ended (code ${code}) before serving` }));
  });
  if ('error' in first) {
    await thread.terminate();
    throw new Error(first.error);
  }
  // Without its database ponte can do nothing right: a thread lost while serving ends the
  // process, as a crash of PGlite in the server's own thread did.
  thread.on('error', (err) => {
    process.stderr.write(`ponte: the embedded database stopped: ${err.stack ?? err.message}\n`);
    process.exit(70);
  });
  void exited.then((code) => {
    if (stopping) return;
    process.stderr.write(`ponte: the embedded database thread ended unexpectedly (code ${code})\n`);
    process.exit(70);
  });
  return {
    url: first.url,
    async stop() {
      if (stopping) return;
      stopping = true;
      thread.postMessage('stop');
      await exited;
    },
  };
}
