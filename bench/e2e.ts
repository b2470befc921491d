// End-to-end integrations/s the way users run ponte: `ponte serve` compiled in its own process,
// the Bimer sandbox in another, this process posting sessions over HTTP. Beside it, in the same
// run: the ERP-inclusive baseline (a bare BullMQ worker on the same backend whose job makes one
// create call to the same sandbox process) and bare no-op jobs; and the server's RSS at idle,
// after the run, and after BENCH_SESSIONS (10,000) sessions with ERP_RATE_PER_SECOND=1.
// Run alone: npx tsx bench/e2e.ts   (BENCH_E2E_N overrides the integrations per mode)

import { SETTINGS } from '../src/config.js';
import { jobsPerSecond, noopJobsPerSecond, withEngine, type Backend } from './backends.js';
import { createCase, sandboxToken } from './lib/erp-client.js';
import { buildPonte, rssMiB, startPonteProcess, startSandboxProcess, type SandboxProcess } from './lib/processes.js';
import { postSessions } from './lib/sessions.js';
import { startServers, type Servers } from './lib/servers.js';
import { machine, ratio, table, type Row } from './lib/report.js';
import type { Mode } from './lib/ponte.js';

export const MODES: Mode[] = ['redis', 'postgres', 'embedded'];
export const BACKEND_OF: Record<Mode, Backend> = { redis: 'redis', postgres: 'postgres', embedded: 'pglite' };
const N: Record<Mode, number> = { redis: 1000, postgres: 600, embedded: 200 };
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
/** ponte's integrations worker runs ERP_MAX_CONCURRENT jobs at once (src/jobs/workers.ts); the baseline too. */
const PONTE_CONCURRENCY = Number(SETTINGS.find((s) => s.env === 'ERP_MAX_CONCURRENT')!.default);
export const RSS_LIMITS = 'targets: after 10,000 sessions ≤ 250 MiB (PostgreSQL modes), ≤ 450 MiB (embedded); idle embedded ≤ 400 MiB';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function untilCases(sandbox: SandboxProcess, count: number): Promise<void> {
  while ((await sandbox.casesCreated()) < count) await sleep(20);
}

/** The ERP-inclusive baseline: jobs/s of a bare worker whose job is one case create. */
export async function createJobsPerSecond(backend: Backend, servers: Servers, sandbox: SandboxProcess, n: number): Promise<number> {
  const token = await sandboxToken(sandbox.url);
  return withEngine(backend, servers, (engine) => jobsPerSecond(engine, n, { concurrency: PONTE_CONCURRENCY, work: (i) => createCase(sandbox.url, token, `baseline-${Date.now()}-${i}`) }));
}

interface PonteFigures { integrationsPerSecond: number; rssIdle: number; rssAfter: number }

/** One warm-up session, then `n` sessions posted 20 at a time; timed from the first post to the n-th case created. */
async function ponteEndToEnd(mode: Mode, servers: Servers, sandbox: SandboxProcess, n: number): Promise<PonteFigures> {
  const ponte = await startPonteProcess(mode, servers, { bimerUrl: sandbox.url });
  try {
    await sleep(2000);
    const rssIdle = rssMiB(ponte.pid);
    const before = await sandbox.casesCreated();
    await postSessions(ponte.url, 1);
    await untilCases(sandbox, before + 1);
    const started = performance.now();
    await postSessions(ponte.url, n);
    await untilCases(sandbox, before + 1 + n);
    const integrationsPerSecond = n / ((performance.now() - started) / 1000);
    return { integrationsPerSecond, rssIdle, rssAfter: rssMiB(ponte.pid) };
  } finally {
    await ponte.stop();
  }
}

/** RSS of a fresh server right after `sessions` sessions were posted to it (integrations held back: ERP_RATE_PER_SECOND=1). */
async function rssAfterSessions(mode: Mode, servers: Servers, sandbox: SandboxProcess, sessions: number): Promise<number> {
  const ponte = await startPonteProcess(mode, servers, { bimerUrl: sandbox.url, env: { ERP_RATE_PER_SECOND: '1' } });
  try {
    await postSessions(ponte.url, sessions);
    return rssMiB(ponte.pid);
  } finally {
    await ponte.stop();
  }
}

/** One row of the table; `noop` is the no-op jobs/s on the mode's backend, measured in the same run. */
export async function e2eRow(mode: Mode, servers: Servers, noop: number): Promise<Row> {
  const n = Number(process.env.BENCH_E2E_N ?? N[mode]);
  const sandbox = await startSandboxProcess();
  try {
    const baseline = await createJobsPerSecond(BACKEND_OF[mode], servers, sandbox, n);
    const p = await ponteEndToEnd(mode, servers, sandbox, n);
    const rss = await rssAfterSessions(mode, servers, sandbox, SESSIONS);
    return {
      mode,
      n,
      'baseline jobs/s (1 create call)': Math.round(baseline),
      'no-op jobs/s': Math.round(noop),
      'ponte integrations/s': Math.round(p.integrationsPerSecond),
      'vs ERP-inclusive (≥ 0.5×)': ratio(p.integrationsPerSecond, baseline),
      'vs no-op': ratio(p.integrationsPerSecond, noop),
      'RSS idle MiB': p.rssIdle,
      'RSS after run MiB': p.rssAfter,
      [`RSS after ${SESSIONS.toLocaleString('en-US')} sessions MiB`]: rss,
    };
  } finally {
    await sandbox.stop();
  }
}

export const E2E_TITLE = 'End-to-end integrations/s: ponte serve (compiled), Bimer sandbox and load generator in three processes';

if (import.meta.url === `file://${process.argv[1]}`) {
  buildPonte();
  const servers = await startServers();
  try {
    const rows: Row[] = [];
    for (const mode of MODES) {
      const noop = await withEngine(BACKEND_OF[mode], servers, (engine) => noopJobsPerSecond(engine, 2_000));
      rows.push(await e2eRow(mode, servers, noop));
    }
    process.stdout.write(`${machine()}\n\n${table(E2E_TITLE, rows)}\n\n${RSS_LIMITS}\n`);
  } finally {
    await servers.stop();
  }
}
