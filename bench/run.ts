// `npm run bench`: every benchmark in one run, each next to a baseline measured in the same
// run (this machine is noisy); prints the tables and writes them to bench/RESULTS.md, keeping
// the hand-written part at its end.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { startServers } from './lib/servers.js';
import { table, machine, ratio, peakRssMiB } from './lib/report.js';
import { benchBackends, type Backend } from './backends.js';
import { e2eRow, E2E_TITLE, MODES, BACKEND_OF, RSS_LIMITS } from './e2e.js';
import { buildPonte } from './lib/processes.js';
import { ingestRows, INGEST_TITLE } from './ingest.js';
import { startupTimes } from './startup.js';
import { bulkReplayRow, BULK_REPLAY_TITLE, REPLAY_MODES } from './bulk-replay.js';

const sections: string[] = [];
const out = (s: string) => {
  sections.push(s);
  process.stdout.write(`${s}\n\n`);
};

/** Benchmarks that are their own scripts (they print their own table). */
function script(file: string, env: Record<string, string>): string {
  if (!existsSync(file)) return `(${file} missing)`;
  return execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 }).trim();
}

const servers = await startServers();
try {
  out(`Machine: ${machine()}. Run: ${new Date().toISOString()}.`);

  // Quick first: statements per operation are counted, not timed (deterministic).
  out(`### Where one integration and one ingest go (round trips)\n\n${script('bench/round-trips.ts', { TEST_DATABASE_URL: servers.databaseUrl, BENCH_DATABASE_URL: servers.databaseUrl, BENCH_REDIS_URL: servers.redisUrl })}`);

  const noop = await benchBackends(servers);
  out(table('Bare BullMQ no-op jobs/s (concurrency 50): the job baseline', (Object.keys(noop) as Backend[]).map((b) => ({ backend: b, 'jobs/s': Math.round(noop[b]), 'vs redis': ratio(noop[b], noop.redis) }))));

  buildPonte();
  const e2e = [];
  for (const mode of MODES) e2e.push(await e2eRow(mode, servers, noop[BACKEND_OF[mode]]));
  out(`${table(E2E_TITLE, e2e)}\n\n${RSS_LIMITS}.`);

  out(table(INGEST_TITLE, await ingestRows(MODES, servers)));

  const replays = [];
  for (const mode of REPLAY_MODES) replays.push(await bulkReplayRow(mode, servers));
  out(table(BULK_REPLAY_TITLE, replays));

  out(table('Start to /health: the compiled server (npm start) and the same from sources (tsx)', await startupTimes(servers.databaseUrl)));

  // The scripts reuse this run's servers.
  const shared = { TEST_DATABASE_URL: servers.databaseUrl, BENCH_DATABASE_URL: servers.databaseUrl, BENCH_REDIS_URL: servers.redisUrl };
  out(`### ERP pushes\n\n${script('bench/erp-events.ts', shared)}`);
  out(`### Spell-check (engine)\n\n${script('bench/spellcheck.ts', shared)}`);
  out(`### Spell-check over HTTP\n\n${script('bench/spellcheck-http.ts', shared)}`);
  out(`Peak RSS of the benchmark process (load generators, BullMQ baselines; ponte runs in its own processes): ${peakRssMiB()} MiB.`);
} finally {
  await servers.stop();
}

// What follows the marker is written by hand (profiles, before and after) and kept.
const results = new URL('./RESULTS.md', import.meta.url);
const MARKER = '<!-- written by hand below: kept by npm run bench -->';
const previous = existsSync(results) ? readFileSync(results, 'utf8') : '';
const kept = previous.includes(MARKER) ? `\n${previous.slice(previous.indexOf(MARKER))}` : '';
writeFileSync(results, `# Benchmark results\n\nProduced by \`npm run bench\`; ratios compare figures measured in the same run.\n\n${sections.join('\n\n')}\n${kept}`);
