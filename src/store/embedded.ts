// Embedded mode: PGlite on disk in DATA_DIR, served by pglite-socket so that ponte and BullMQ
// reach it through `pg` exactly as they reach a real PostgreSQL. The database runs in a thread
// of its own (src/store/embedded-thread.ts), on the machine's second core while the server's
// event loop works, and starts while the rest of ponte does.

import { createRequire } from 'node:module';
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

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const dir = await privateDir(dataDir);
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
