// Bulk replay of BENCH_REPLAY (10,000) failed integrations on `ponte serve` compiled: the
// sandbox process refuses every case create (a validation error, permanent: the rows end
// `failed`), the fault is cleared, then one POST /v1/admin/integrations/replay matching them.
// Times from that request: its 202; "all queued" = no row left failed and the outbox drained
// (each row was reset to pending and its job handed to BullMQ); "all succeeded".
// Counts come from the admin dashboard (GET /v1/admin/dashboard), the same in every mode.
// PostgreSQL and Redis modes; BENCH_REPLAY_MODES=postgres,redis,embedded adds embedded (slow:
// ~45 integrations/s each way here). Run alone: npx tsx bench/bulk-replay.ts

import type { IntegrationStatus } from '../src/store/integrations.js';
import { BENCH_KEY, type Mode } from './lib/ponte.js';
import { buildPonte, startPonteProcess, startSandboxProcess } from './lib/processes.js';
import { postSessions } from './lib/sessions.js';
import { startServers, type Servers } from './lib/servers.js';
import { machine, table, type Row } from './lib/report.js';

const N = Number(process.env.BENCH_REPLAY ?? 10_000);
const POLL_MS = 50;
export const REPLAY_MODES = (process.env.BENCH_REPLAY_MODES ?? 'postgres,redis').split(',') as Mode[];
const auth = { authorization: `Bearer ${BENCH_KEY}` };

interface Dashboard { counts: Record<IntegrationStatus, number>; outboxBacklog: number }

async function dashboard(ponteUrl: string): Promise<Dashboard> {
  const res = await fetch(`${ponteUrl}/v1/admin/dashboard`, { headers: auth });
  if (!res.ok) throw new Error(`GET /v1/admin/dashboard: ${res.status} ${await res.text()}`);
  return (await res.json()) as Dashboard;
}

/** Polls the dashboard until `done`; milliseconds from `since`. */
async function until(ponteUrl: string, since: number, done: (d: Dashboard) => boolean): Promise<number> {
  for (;;) {
    const d = await dashboard(ponteUrl);
    if (done(d)) return performance.now() - since;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export async function bulkReplayRow(mode: Mode, servers: Servers, n = N): Promise<Row> {
  const sandbox = await startSandboxProcess({ failCreates: true });
  try {
    const ponte = await startPonteProcess(mode, servers, { bimerUrl: sandbox.url });
    try {
      const posting = performance.now();
      await postSessions(ponte.url, n);
      const failing = await until(ponte.url, posting, (d) => d.counts.failed + d.counts.dead >= n && d.outboxBacklog === 0);
      const before = await dashboard(ponte.url);
      if (before.counts.failed !== n) throw new Error(`expected ${n} failed integrations, the dashboard shows ${JSON.stringify(before.counts)}`);
      await sandbox.clearFaults();

      const started = performance.now();
      const res = await fetch(`${ponte.url}/v1/admin/integrations/replay`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ filter: { status: ['failed'] } }) });
      const answer = (await res.json()) as { queued: number };
      const answered = performance.now() - started;
      if (res.status !== 202 || answer.queued !== n) throw new Error(`POST /v1/admin/integrations/replay: ${res.status} ${JSON.stringify(answer)}`);
      const queued = await until(ponte.url, started, (d) => d.counts.failed === 0 && d.outboxBacklog === 0);
      const succeeded = await until(ponte.url, started, (d) => d.counts.succeeded >= n);
      return {
        mode,
        'failed integrations': n,
        's to make them fail': Math.round(failing / 100) / 10,
        'ms to 202': Math.round(answered),
        'ms to all queued (< 2,000)': Math.round(queued),
        'ms to all succeeded': Math.round(succeeded),
        'succeeded/s after replay': Math.round(n / (succeeded / 1000)),
      };
    } finally {
      await ponte.stop();
    }
  } finally {
    await sandbox.stop();
  }
}

export const BULK_REPLAY_TITLE = `Bulk replay: ${N.toLocaleString('en-US')} failed integrations, one POST /v1/admin/integrations/replay (times from the request; dashboard polled every ${POLL_MS} ms)`;

if (import.meta.url === `file://${process.argv[1]}`) {
  buildPonte();
  const servers = await startServers();
  try {
    const rows: Row[] = [];
    for (const mode of REPLAY_MODES) rows.push(await bulkReplayRow(mode, servers));
    process.stdout.write(`${machine()}\n\n${table(BULK_REPLAY_TITLE, rows)}\n`);
  } finally {
    await servers.stop();
  }
}
