// The compiled server on each way a platform team starts it — `npm start`, the `ponte` bin,
// and as PID 1 of its own PID namespace (a container's entrypoint) — stops on SIGTERM/SIGINT:
// intake closes, the running job finishes, and the process exits by itself within
// SHUTDOWN_TIMEOUT_MS, leaving no process behind. Also: what `npm pack` ships.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../support/services.js';
import { auth, API_KEYS, eventually, freshDatabase, uniqueName, SECRET_KEY } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
/** The node running the tests (22 or 24) is the one every start path must use. */
const PATH = `${path.dirname(process.execPath)}:${process.env.PATH}`;

/** Every process below `pid`, from /proc (threads' children included). */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      children.push(...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    }
  } catch {
    return [];
  }
  children = [...new Set(children)];
  return [...children, ...children.flatMap(descendants)];
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const commandOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

interface Launched {
  child: ChildProcess;
  port: number;
  databaseUrl: string;
  exit: Promise<number | null>;
  logs: () => string;
}

async function launch(command: string, args: string[], erpEnv: Record<string, string>): Promise<Launched> {
  const port = await freePort();
  const databaseUrl = await freshDatabase();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...erpEnv, PATH, PORT: String(port), DATABASE_URL: databaseUrl, PONTE_SECRET_KEY: SECRET_KEY, PONTE_API_KEYS: API_KEYS, QUEUE_PREFIX: uniqueName('drill'), LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '8000', LOOKUP_CACHE_TTL_MS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, `${command} ${args.join(' ')} to answer /health`, 120_000).catch((err) => {
    throw new Error(`${(err as Error).message}\n${logs}`);
  });
  return { child, port, databaseUrl, exit, logs: () => logs };
}

async function integrationStatus(databaseUrl: string, id: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query('SELECT status FROM integrations WHERE id = $1', [id])).rows[0]?.status;
  } finally {
    await client.end();
  }
}

describe('start paths of the compiled server', () => {
  let erp: BimerSandbox;
  let erpEnv: Record<string, string>;
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    // dist/ is built by the global setup, as `npm ci` (prepare) or the first `npm start` (prestart) does.
    const s = await sandbox();
    erp = s.sandbox;
    // The drills hold an ERP call for 1.5 s: the fixture's 1 s client time-out would cut it.
    erpEnv = { ...s.env, BIMER_TIMEOUT_MS: '10000' };
  }, 600_000);

  afterAll(async () => {
    for (const child of started) if (child.pid) for (const pid of [child.pid, ...descendants(child.pid)]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await erp?.close();
  });

  /**
   * A session whose ERP create is held by the ERP for 1.5 s; the signal arrives while it is
   * held. The job must finish (one case, `succeeded`) and the process exit 0 by itself.
   */
  async function drill(command: string, args: string[], signal: NodeJS.Signals, target: (launched: Launched) => { signalled: number; server: number }): Promise<Launched> {
    const launched = await launch(command, args, erpEnv);
    started.push(launched.child);
    const { signalled, server } = target(launched);
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', action: { type: 'delay', ms: 1500 } });
    const res = await fetch(`http://127.0.0.1:${launched.port}/v1/sessions`, { method: 'POST', headers: { ...auth('helpdesk'), 'content-type': 'application/json' }, body: JSON.stringify(session()) });
    expect(res.status).toBe(202);
    const id = ((await res.json()) as { integrations: Array<{ id: string }> }).integrations[0]!.id;
    await eventually(async () => erp.faults.pending().length === 0, 'the ERP create to be in flight');

    process.kill(signalled, signal);
    const code = await launched.exit;

    expect(code, launched.logs()).toBe(0);
    expect(alive(server)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${launched.port}/health`)).rejects.toThrow();
    expect(await integrationStatus(launched.databaseUrl, id)).toBe('succeeded');
    expect(erp.state.cases.filter((c) => c.ReferenciaExterna === id)).toHaveLength(1);
    expect(launched.logs()).toContain('"msg":"stopped"');
    return launched;
  }

  it('`npm start` runs node on dist/ as its only child, and SIGTERM to npm stops it gracefully', async () => {
    let tree: number[] = [];
    await drill('npm', ['start', '--silent'], 'SIGTERM', ({ child }) => {
      tree = descendants(child.pid!);
      expect(tree).toHaveLength(1);
      expect(commandOf(tree[0]!)).toEqual([expect.stringMatching(/node$/), 'dist/src/main.js', 'serve']);
      return { signalled: child.pid!, server: tree[0]! };
    });
    expect(tree.filter(alive)).toEqual([]);
  }, 240_000);

  it('the `ponte` bin is the server process itself (no wrapper), and SIGINT stops it gracefully', async () => {
    await drill(path.join(ROOT, 'bin/ponte.js'), ['serve'], 'SIGINT', ({ child }) => {
      expect(descendants(child.pid!)).toEqual([]);
      return { signalled: child.pid!, server: child.pid! };
    });
  }, 240_000);

  it('as PID 1 of its own PID namespace (a container entrypoint), SIGTERM stops it gracefully', async () => {
    // unshare stays outside; its one child is node, which sees itself as PID 1.
    const launched = await drill('unshare', ['--pid', '--fork', process.execPath, 'dist/src/main.js', 'serve'], 'SIGTERM', ({ child }) => {
      const [node] = descendants(child.pid!);
      expect(readFileSync(`/proc/${node}/status`, 'utf8')).toMatch(/^NSpid:\s+\d+\s+1$/m);
      // The signal goes to node itself, as a container runtime sends it to PID 1.
      return { signalled: node!, server: node! };
    });
    expect(launched.logs()).toContain('"pid":1,');
  }, 240_000);

  it('exits within SHUTDOWN_TIMEOUT_MS even when a job does not finish (it is recovered later as stalled)', async () => {
    const launched = await launch(process.execPath, ['dist/src/main.js', 'serve'], { ...erpEnv, BIMER_TIMEOUT_MS: '120000' });
    started.push(launched.child);
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', action: { type: 'delay', ms: 90_000 } });
    const res = await fetch(`http://127.0.0.1:${launched.port}/v1/sessions`, { method: 'POST', headers: { ...auth('helpdesk'), 'content-type': 'application/json' }, body: JSON.stringify(session()) });
    const id = ((await res.json()) as { integrations: Array<{ id: string }> }).integrations[0]!.id;
    await eventually(async () => erp.faults.pending().length === 0, 'the ERP create to be in flight');

    process.kill(launched.child.pid!, 'SIGTERM');
    // The ERP holds the call for 90 s; the bound is 8 s: the process must be gone long before.
    await eventually(async () => !alive(launched.child.pid!), 'the process to exit', 60_000);
    expect(await launched.exit, launched.logs()).toBe(0);
    expect(launched.logs()).toContain('jobs still running after the shutdown bound');
    expect(await integrationStatus(launched.databaseUrl, id)).not.toBe('succeeded');
  }, 240_000);

  it('`npm pack` ships the compiled server, its assets and the bin — no sources, tests, benches or CI', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, env: { ...process.env, PATH }, maxBuffer: 20_000_000 });
    const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files.filter((f) => !/^(bin\/|dist\/|package\.json$|README\.md$)/.test(f))).toEqual([]);
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['bin/ponte.js', 'dist/src/main.js', 'dist/src/store/migrations/001_core.sql', 'dist/src/admin/page/index.html']));
    // What the compiled code reads at run time beside its .js files.
    for (const dir of ['dist/schemas/api/', 'dist/schemas/connectors/', 'dist/mappings/', 'dist/connectors/']) expect(files.some((f) => f.startsWith(dir)), dir).toBe(true);
  }, 120_000);
});
