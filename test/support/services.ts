// Throwaway PostgreSQL 15 and Redis servers on free loopback ports, for tests and benchmarks
// run without .ci/run (which starts its own and passes TEST_DATABASE_URL / TEST_REDIS_URL).

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, chownSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function pgBin(name: string): string {
  for (const dir of ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin']) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return name;
}

const asPostgres = (cmd: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];

export interface Service { url: string; stop(): Promise<void> }

async function waitFor(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${ms} ms`);
}

export interface RestartableService extends Service {
  /** Stops the server but keeps its data, so `start()` brings it back on the same port. */
  halt(): Promise<void>;
  start(): Promise<void>;
}

export async function startPostgres(): Promise<RestartableService> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ponte-pg-'));
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const data = path.join(dir, 'data');
  execFileSync(...asPostgres(pgBin('initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']), { stdio: 'ignore' });
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const [cmd, args] = asPostgres(pgBin('postgres'), ['-D', data, '-p', String(port), '-k', dir, '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400']);
    child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    await waitFor(() => {
      try {
        execFileSync(pgBin('pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    }, 'postgres');
  };
  await start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start,
    halt: () => stopChild(child!, () => undefined),
    stop: () => stopChild(child!, () => rmSync(dir, { recursive: true, force: true })),
  };
}

export async function startRedis(): Promise<RestartableService> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ponte-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore', detached: true });
    await waitFor(() => {
      try {
        return execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() === 'PONG';
      } catch {
        return false;
      }
    }, 'redis');
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    halt: () => stopChild(child!, () => undefined),
    stop: () => stopChild(child!, () => rmSync(dir, { recursive: true, force: true })),
  };
}

function stopChild(child: ChildProcess, cleanup: () => void): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      cleanup();
      resolve();
      return;
    }
    // The whole process group: runuser does not pass signals on to postgres.
    const force = setTimeout(() => signal(child, 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      cleanup();
      resolve();
    });
    signal(child, 'SIGINT');
  });
}

function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, sig);
  } catch {
    child.kill(sig);
  }
}
