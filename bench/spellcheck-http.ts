// Spell-check over HTTP: POST /v1/spellcheck with a ~2,000-character message against a bare
// authenticated no-op route, measured with autocannon in one run. Two more rows show why checks
// run in a worker thread: every request carrying a new misspelled word (Hunspell's suggest,
// 30–500 ms each), and the no-op route measured while those run; last, what one agent sees: a new
// misspelling per request on one connection with nothing else running (the < 50 ms p99 target).
// Run: npx tsx bench/spellcheck-http.ts   (PostgreSQL; BENCH_MODE=embedded for PGlite)
// BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 10) tune the load.

import type { AddressInfo } from 'node:net';
import autocannon, { type Request as CannonRequest, type Result as CannonResult } from 'autocannon';
import { startBenchPonte, BENCH_KEY, type Mode } from './lib/ponte.js';
import { startServers, type Servers } from './lib/servers.js';
import { machine, ratio, table } from './lib/report.js';
import { SUPPORT_MESSAGE } from './lib/messages.js';


const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const mode: Mode = process.env.BENCH_MODE === 'embedded' ? 'embedded' : 'postgres';
const headers = { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' };

/** "a", "b", ... "ba": a misspelling Hunspell has never seen, without digits (digits are skipped). */
function letters(n: number): string {
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

let fresh = 0;
const warm: CannonRequest = { method: 'POST', path: '/v1/spellcheck', headers, body: JSON.stringify({ text: SUPPORT_MESSAGE, agentId: 'bench-agent' }) };
const cold: CannonRequest = {
  method: 'POST',
  path: '/v1/spellcheck',
  headers,
  setupRequest: (req) => ({ ...req, body: JSON.stringify({ text: `${SUPPORT_MESSAGE} atendimentoqz${letters(fresh++)}`, agentId: 'bench-agent' }) }),
};
const noop: CannonRequest = { method: 'GET', path: '/bench/noop', headers: { authorization: headers.authorization } };

const noServers: Servers = { databaseUrl: '', redisUrl: '', freshDatabase: async () => '', stop: async () => undefined };
const servers = mode === 'postgres' ? await startServers() : noServers;
const ponte = await startBenchPonte(mode, servers, { workers: false });
try {
  ponte.app.get('/bench/noop', { config: { roles: ['helpdesk'] } }, async () => ({ ok: true }));
  await ponte.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(ponte.app.server.address() as AddressInfo).port}`;
  const put = (path: string, body: object) => fetch(`${url}${path}`, { method: 'PUT', headers, body: JSON.stringify(body) });
  await put('/v1/departments/bench', { name: 'Bench', systems: [] });
  await put('/v1/agents/bench-agent', { name: 'Bench', departmentIds: ['bench'], online: true, spellcheck: true });
  // The first check starts the checker thread (Hunspell load) and fills the suggestion cache.
  const first = await fetch(`${url}/v1/spellcheck`, { method: 'POST', headers, body: String(warm.body) });
  const flagged = ((await first.json()) as { misspellings: Array<{ word: string }> }).misspellings.map((m) => m.word);

  const run = (request: CannonRequest, duration = SECONDS, connections = CONNECTIONS) => autocannon({ url, connections, duration, requests: [request] });
  await run(warm, 2);
  await run(noop, 2);
  const bare = await run(noop);
  const checks = await run(warm);
  // New words: each request pays Hunspell's suggest in the thread, while no-op requests keep flowing.
  const [coldChecks, noopDuringCold] = await Promise.all([run(cold, SECONDS, 2), run(noop, SECONDS, CONNECTIONS)]);
  const coldAlone = await run(cold, SECONDS, 1);

  const row = (route: string, r: CannonResult) => ({
    route, 'requests/s': Math.round(r.requests.average), 'p50 ms': r.latency.p50, 'p99 ms': r.latency.p99, 'vs no-op': ratio(r.requests.average, bare.requests.average),
  });
  const failures = [bare, checks, coldChecks, noopDuringCold, coldAlone].reduce((n, r) => n + r.non2xx + r.errors, 0);
  process.stdout.write(`${machine()}\nmode: ${mode}, ${SECONDS} s per row, ${CONNECTIONS} connections (cold checks: 2)\n`);
  process.stdout.write(`message: ${SUPPORT_MESSAGE.length} chars, flagged: ${flagged.join(', ')}\n\n`);
  process.stdout.write(`${table('Spell-check over HTTP vs a bare authenticated no-op route (same run)', [
    row('GET /bench/noop (auth only)', bare),
    row('POST /v1/spellcheck (same message, suggestions cached)', checks),
    row('POST /v1/spellcheck (one new misspelling per request)', coldChecks),
    row('GET /bench/noop while the row above runs', noopDuringCold),
    row('POST /v1/spellcheck (one new misspelling per request, one connection, nothing else running)', coldAlone),
  ])}\n`);
  if (failures) process.stdout.write(`\nWARNING: ${failures} failed or non-2xx requests: the numbers above are not valid.\n`);
} finally {
  await ponte.close();
  await servers.stop();
}
