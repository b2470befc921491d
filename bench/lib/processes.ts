// Every server of a process-separated benchmark in a process of its own: ponte compiled
// (`node dist/src/main.js serve`, as the README starts it), the Bimer sandbox and the bare
// Fastify route (IPC scripts beside this file), and the RSS of a process.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SANDBOX_CREDENTIALS } from '../../connectors/bimer/sandbox/server.js';
import { BENCH_KEY, BENCH_SECRET_KEY, type Mode } from './ponte.js';
import type { Servers } from './servers.js';
import { stopOnInterrupt } from './interrupt.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const STOP_TIMEOUT_MS = 20_000;

/** IPC of bench/lib/sandbox-process.ts (requests are answered with the same id). */
export interface SandboxRequest { id: number; type: 'cases' | 'clear-faults' }
export interface SandboxReply { id: number; url?: string; cases?: number }

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process (VmRSS in /proc), in MiB. */
export function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Math.round(Number(kb) / 1024);
}

/** An IPC script's child: killed if the benchmark is interrupted. */
function track(child: ChildProcess): ChildProcess {
  const forget = stopOnInterrupt(() => child.kill('SIGTERM'));
  child.once('exit', forget);
  return child;
}

/** SIGTERM, then waits for the exit (SIGKILL after STOP_TIMEOUT_MS). */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

interface IpcChild { child: ChildProcess; url: string; ask(type: SandboxRequest['type']): Promise<SandboxReply>; stop(): Promise<void> }

/** Runs one of the IPC scripts beside this file and waits for the { url } it sends. */
async function startIpcScript(file: string, args: string[] = []): Promise<IpcChild> {
  const child = track(spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, file), ...args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const waiting = new Map<number, (m: SandboxReply) => void>();
  let nextId = 1;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before listening`)));
    child.on('message', (m: SandboxReply) => {
      if (m.url) resolve(m.url);
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    });
  });
  return {
    child,
    url,
    ask: (type) => new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ id, type } satisfies SandboxRequest);
    }),
    stop: () => stopChild(child),
  };
}

export interface SandboxProcess { url: string; pid: number; casesCreated(): Promise<number>; clearFaults(): Promise<void>; stop(): Promise<void> }

/** The Bimer sandbox as its own process; `failCreates`: every case create is refused until clearFaults(). */
export async function startSandboxProcess(options: { failCreates?: boolean } = {}): Promise<SandboxProcess> {
  const s = await startIpcScript('sandbox-process.ts', options.failCreates ? ['--fail-creates'] : []);
  return {
    url: s.url,
    pid: s.child.pid!,
    casesCreated: async () => (await s.ask('cases')).cases!,
    clearFaults: async () => void (await s.ask('clear-faults')),
    stop: s.stop,
  };
}

export interface BareRouteProcess { url: string; pid: number; stop(): Promise<void> }

export async function startBareRouteProcess(): Promise<BareRouteProcess> {
  const s = await startIpcScript('bare-route-process.ts');
  return { url: s.url, pid: s.child.pid!, stop: s.stop };
}

/** Compiles dist/ when a source changed since the last build. */
export function buildPonte(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
}

export interface PonteProcess { url: string; pid: number; stop(): Promise<void> }

/**
 * `node dist/src/main.js serve` in `mode` (embedded: a fresh DATA_DIR; postgres: a fresh
 * database; redis: that plus REDIS_URL) against the sandbox at `bimerUrl`, once /health answers.
 * Call buildPonte() first.
 */
export async function startPonteProcess(mode: Mode, servers: Servers, options: { bimerUrl: string; env?: Record<string, string> }): Promise<PonteProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    PONTE_API_KEYS: `bench:helpdesk+admin+erp:${BENCH_KEY}`,
    RATE_LIMIT_MAX: '0',
    BIMER_URL: options.bimerUrl,
    BIMER_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
    BIMER_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
    BIMER_USERNAME: SANDBOX_CREDENTIALS.username,
    BIMER_PASSWORD: SANDBOX_CREDENTIALS.password,
    DATABASE_URL: mode === 'embedded' ? undefined : await servers.freshDatabase(),
    PONTE_SECRET_KEY: mode === 'embedded' ? undefined : BENCH_SECRET_KEY,
    REDIS_URL: mode === 'redis' ? servers.redisUrl : undefined,
    ...options.env,
  };
  const child = spawn(process.execPath, ['dist/src/main.js', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
    forget();
  };
  const forget = stopOnInterrupt(stop);
  try {
    const started = performance.now();
    while (!(await fetch(`${url}/health`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null) throw new Error(`ponte serve (${mode}) exited with ${child.exitCode}`);
      if (performance.now() - started > 120_000) throw new Error(`ponte serve (${mode}): no /health within 120 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, pid: child.pid!, stop };
}
