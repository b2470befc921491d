// Start to the first 200 on /health: the compiled server (`node dist/src/main.js serve`, what
// `npm start` runs) beside the same server from sources with tsx, in embedded mode on an empty
// and on an existing data dir, and on PostgreSQL when BENCH_DATABASE_URL is set. Median of 3.
// Run alone: npx tsx bench/startup.ts   (builds dist/ first when it is stale)

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { table, type Row } from './lib/report.js';
import { freePort } from './lib/processes.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = 3;

/** Milliseconds from spawn to a 200 on /health; the server is stopped with SIGTERM after. */
async function timeToHealth(args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: 'ignore' });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      if (performance.now() - started > 120_000) throw new Error(`${args.join(' ')}: no /health within 120 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

async function median(args: string[], env: () => Record<string, string>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeToHealth(args, env()));
  return Math.round(times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!);
}

export async function startupTimes(databaseUrl?: string): Promise<Row[]> {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  const compiled = ['dist/src/main.js', 'serve'];
  const sources = ['--import', 'tsx', 'src/main.ts', 'serve'];
  const warm = mkdtempSync(path.join(os.tmpdir(), 'ponte-start-'));
  const empty: string[] = [];
  const emptyDir = () => {
    empty.push(mkdtempSync(path.join(os.tmpdir(), 'ponte-start-')));
    return { DATA_DIR: empty.at(-1)! };
  };
  try {
    await timeToHealth(compiled, { DATA_DIR: warm });
    const cases: Array<{ start: string; args: string[]; env: () => Record<string, string> }> = [
      { start: 'compiled, embedded, existing data dir', args: compiled, env: () => ({ DATA_DIR: warm }) },
      { start: 'tsx, embedded, existing data dir', args: sources, env: () => ({ DATA_DIR: warm }) },
      { start: 'compiled, embedded, empty data dir', args: compiled, env: emptyDir },
    ];
    if (databaseUrl) cases.push({ start: 'compiled, PostgreSQL', args: compiled, env: () => ({ DATABASE_URL: databaseUrl, PONTE_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'), DATA_DIR: warm }) });
    const rows: Row[] = [];
    for (const c of cases) rows.push({ start: c.start, 'ms to /health (median of 3)': await median(c.args, c.env) });
    return rows;
  } finally {
    for (const dir of [warm, ...empty]) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${table('Start to /health', await startupTimes(process.env.BENCH_DATABASE_URL))}\n`);
}
