// The embedded database's own thread: PGlite on disk in DATA_DIR, served by pglite-socket on
// a Unix socket (or a loopback port). Started by src/store/embedded.ts; it posts
// `{ url }` once serving (or `{ error }`), and on `'stop'` closes the server and the database,
// then ends. PGlite is one WASM engine that runs a statement at a time: in a thread of its own
// it runs beside the server's event loop (HTTP, jobs, JSON) instead of taking turns with it.

import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { groupExtendedQueries } from './pglite-queue.js';
import { fanOutNotifications } from './pglite-notify.js';
import { keepSocketErrorsHandled } from './pglite-sockets.js';

/** What the thread is started with. */
export interface EmbeddedThreadData {
  /** DATA_DIR, already made private. */
  dir: string;
}

export type EmbeddedThreadMessage = { url: string } | { error: string };

/** Sockets ponte may open: its pool, BullMQ's pools and their LISTEN connections. */
const MAX_CONNECTIONS = 64;

/**
 * PGlite's WASM memory only grows, and PostgreSQL's default 128 MB of shared buffers sits in it
 * whether used or not. ponte's data is small and PGlite reads its files through the OS's page
 * cache, so 32 MB is kept (idle RSS of the database alone: 273 → 179 MiB here). A new data
 * directory is created with PGlite's defaults (creating one with other start parameters left
 * its memory at more than twice the size) in a child process, whose memory all goes back when
 * it exits (created in this process, the first start kept 90 MiB more), then opened here.
 */
const SHARED_BUFFERS = '32MB';
const CREATE_TIMEOUT_MS = 120_000;

const CREATE_SCRIPT = 'require(process.argv[1]).PGlite.create(process.argv[2]).then((db) => db.close())';

async function serve(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const db = await openPglite(path.join(dir, 'pgdata'));
  // pglite-socket ignores the startup `options` BullMQ uses to pin search_path, and every
  // socket shares PGlite's one session: set it once, public first so ponte's own tables
  // never land in BullMQ's schema.
  await db.exec('CREATE SCHEMA IF NOT EXISTS bullmq; SET search_path TO public, bullmq;');
  const socketPath = path.join(dir, '.s.PGSQL.5432');
  // Unix socket paths are limited to ~107 bytes; fall back to a loopback port.
  const useSocket = socketPath.length < 100;
  const server = new PGLiteSocketServer(
    useSocket ? { db, path: socketPath, maxConnections: MAX_CONNECTIONS } : { db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS },
  );
  groupExtendedQueries(server);
  fanOutNotifications(server);
  if (useSocket) await rm(socketPath, { force: true });
  await server.start();
  keepSocketErrorsHandled(server);
  const url = useSocket
    ? `postgresql://postgres@/postgres?host=${encodeURIComponent(dir)}`
    : `postgresql://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** Creates the data directory next to where it goes, then moves it in: never half a directory. */
async function createDataDir(pgdata: string): Promise<void> {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const fresh = `${pgdata}.new-${process.pid}`;
  await rm(fresh, { recursive: true, force: true });
  try {
    await promisify(execFile)(process.execPath, ['-e', CREATE_SCRIPT, pglite, fresh], { timeout: CREATE_TIMEOUT_MS });
  } catch (err) {
    await rm(fresh, { recursive: true, force: true });
    throw new Error(`creating the embedded database in ${pgdata} failed: ${(err as { stderr?: string }).stderr || (err as Error).message}`);
  }
  await rename(fresh, pgdata);
}

async function openPglite(pgdata: string): Promise<PGlite> {
  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
    // An empty directory (made by hand) is replaced; anything else is not ponte's to remove.
    if (existsSync(pgdata)) {
      if ((await readdir(pgdata)).length > 0) throw new Error(`${pgdata} holds files but no database (no PG_VERSION): move it away, or point DATA_DIR elsewhere`);
      await rm(pgdata, { recursive: true });
    }
    await createDataDir(pgdata);
  }
  return PGlite.create(pgdata, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`] });
}

if (parentPort) {
  const port = parentPort;
  const { dir } = workerData as EmbeddedThreadData;
  serve(dir).then(
    (running) => {
      port.on('message', (message) => {
        if (message !== 'stop') return;
        // Ends the thread (not the process) once the database is closed, whatever timers remain.
        running.stop().finally(() => process.exit(0));
      });
      port.postMessage({ url: running.url } satisfies EmbeddedThreadMessage);
    },
    (err: unknown) => {
      port.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies EmbeddedThreadMessage);
    },
  );
}
