// Session ingest: POST /v1/sessions (50-message transcript) on `ponte serve` compiled, in its
// own process with integrations held back (ERP_RATE_PER_SECOND=1), next to a bare Fastify JSON
// route in another process (same body, same JSON parse); the load runs here. A first pass at
// full load (autocannon) gives each one's max rate; a second, paced open-loop at half of
// ponte's max (bench/lib/paced-load.ts), gives ponte's p99 and the bare route's at that rate.
// Run alone: npx tsx bench/ingest.ts   (BENCH_SECONDS per pass, default 8)

import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { benchSession } from './lib/sessions.js';
import { BENCH_KEY, type Mode } from './lib/ponte.js';
import { buildPonte, startBareRouteProcess, startPonteProcess, startSandboxProcess } from './lib/processes.js';
import { startServers, type Servers } from './lib/servers.js';
import { table, machine, ratio, type Row } from './lib/report.js';
import { pacedLoad } from './lib/paced-load.js';

export interface Load { rps: number; p99: number; errors: number }

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 20;

/** POSTs `body()` to `url` at full load (autocannon); at `rate` requests/s, paced. */
async function load(url: string, body: () => string, opts: { headers?: Record<string, string>; rate?: number } = {}): Promise<Load> {
  if (opts.rate) return pacedLoad(url, body, { rate: opts.rate, seconds: DURATION_S, connections: CONNECTIONS, headers: opts.headers });
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts };
}

/** The bare route's address and its own max rate, measured once per run. */
export interface Bare { url: string; max: Load }

const bareBody = JSON.stringify(benchSession(50));
const loadBare = (bare: { url: string }, rate?: number) => load(bare.url, () => bareBody, { rate });

/** One mode: ponte's max rate and, at half of it, ponte's p99 beside the bare route's. */
export async function ingestRow(mode: Mode, servers: Servers, bare: Bare, bimerUrl: string): Promise<Row> {
  const ponte = await startPonteProcess(mode, servers, { bimerUrl, env: { ERP_RATE_PER_SECOND: '1' } });
  let max: Load;
  let half: number;
  let ponteHalf: Load;
  try {
    const template = benchSession(50);
    const session = () => JSON.stringify({ ...template, externalId: `bench-${randomUUID()}` });
    const post = (rate?: number) => load(`${ponte.url}/v1/sessions`, session, { headers: { authorization: `Bearer ${BENCH_KEY}` }, rate });
    max = await post();
    half = Math.max(1, Math.round(max.rps / 2));
    ponteHalf = await post(half);
  } finally {
    await ponte.stop();
  }
  // With ponte stopped: its relay and worker would otherwise share the CPUs with the bare route.
  const bareHalf = await loadBare(bare, half);
  return {
    mode,
    'ponte max req/s': Math.round(max.rps),
    'bare max req/s': Math.round(bare.max.rps),
    'max vs bare': ratio(max.rps, bare.max.rps),
    'half rate req/s': half,
    'ponte p99 ms @half': ponteHalf.p99,
    'bare p99 ms @half': bareHalf.p99,
    'p99 ponte ÷ bare': ratio(ponteHalf.p99, bareHalf.p99),
    'errors (all passes)': max.errors + ponteHalf.errors + bareHalf.errors,
  };
}

export const INGEST_TITLE = `Session ingest: 50-message transcript, ${CONNECTIONS} connections, ${DURATION_S} s per pass (max: autocannon; half rate: paced, open-loop); ponte (ERP_RATE_PER_SECOND=1) and the bare Fastify route each in its own process`;

/** Every mode's row, with one sandbox and one bare-route process for all. */
export async function ingestRows(modes: Mode[], servers: Servers): Promise<Row[]> {
  const sandbox = await startSandboxProcess();
  const bareRoute = await startBareRouteProcess();
  try {
    const bare = { url: bareRoute.url, max: await loadBare(bareRoute) };
    const rows: Row[] = [];
    for (const mode of modes) rows.push(await ingestRow(mode, servers, bare, sandbox.url));
    return rows;
  } finally {
    await bareRoute.stop();
    await sandbox.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildPonte();
  const servers = await startServers();
  try {
    process.stdout.write(`${machine()}\n\n${table(INGEST_TITLE, await ingestRows(['redis', 'postgres', 'embedded'], servers))}\n`);
  } finally {
    await servers.stop();
  }
}
