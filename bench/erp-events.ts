// ERP pushes over HTTP: signed batches of 100 events (half delinquency markers, half product
// versions) against a bare authenticated no-op route, measured with autocannon in one run.
// As in production, markers rarely change: one client in ten is delinquent and stays so, so
// the measure is intake (verify, validate, record, apply), not webhook fan-out.
// Run: npx tsx bench/erp-events.ts   (embedded PGlite; PostgreSQL when TEST_DATABASE_URL is set)
// BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 10) tune the load.

import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import autocannon, { type Request as CannonRequest, type Result as CannonResult } from 'autocannon';
import { startBenchPonte, BENCH_KEY, type Mode } from './lib/ponte.js';
import type { Servers } from './lib/servers.js';
import { machine, ratio, table } from './lib/report.js';


const BATCH = 100;
const CLIENTS = 1000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const webhook = new Webhook(secret);
const authorization = `Bearer ${BENCH_KEY}`;
const clientCode = (i: number) => String(200_000 + (i % CLIENTS));

/** Only the database is needed: embedded mode, or a fresh database on TEST_DATABASE_URL. */
function serversFrom(url: string | undefined): { mode: Mode; servers: Servers } {
  const servers: Servers = {
    databaseUrl: url ?? '',
    redisUrl: '',
    async freshDatabase() {
      const name = `bench_erp_${randomBytes(5).toString('hex')}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      const u = new URL(url!);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async stop() {},
  };
  return { mode: url ? 'postgres' : 'embedded', servers };
}

let seq = 0;
const firstOccurredAt = Date.now() - 5 * 60_000;
/** A batch of new events, later than the ones before (a few share a millisecond), so they are applied. */
function signedBatch(): { body: string; headers: Record<string, string> } {
  const events = Array.from({ length: BATCH }, (_, i) => {
    const n = seq++;
    const occurredAt = new Date(firstOccurredAt + Math.floor(n / 10)).toISOString();
    const code = clientCode(n);
    return i % 2 === 0
      ? { id: `evt_${randomUUID()}`, type: 'delinquency.updated', occurredAt, data: { clientCode: code, delinquent: n % CLIENTS < CLIENTS / 10, since: '2026-01-10', reason: 'Boleto vencido' } }
      : { id: `evt_${randomUUID()}`, type: 'product-versions.updated', occurredAt, data: { clientCode: code, versions: [{ system: 'ERP', used: '5.2', entitled: '5.3', downloaded: '5.3' }, { system: 'Folha', used: '2.1', entitled: '2.1', downloaded: null }] } };
  });
  const body = JSON.stringify({ events });
  const msgId = `msg_${randomUUID()}`;
  const at = new Date();
  return {
    body,
    headers: {
      authorization,
      'content-type': 'application/json',
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': webhook.sign(msgId, at, body),
    },
  };
}

const pushes: CannonRequest = { method: 'POST', path: '/v1/erp/events', setupRequest: (req) => ({ ...req, ...signedBatch() }) };
const noop: CannonRequest = { method: 'GET', path: '/bench/noop', headers: { authorization } };

const { mode, servers } = serversFrom(process.env.TEST_DATABASE_URL);
const ponte = await startBenchPonte(mode, servers, { workers: true, env: { PONTE_ERP_SECRETS: secret } });
try {
  ponte.app.get('/bench/noop', { config: { roles: ['erp'] } }, async () => ({ ok: true }));
  await ponte.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(ponte.app.server.address() as AddressInfo).port}`;
  // Known clients (a chat each), as in production: no ERP lookups on the hot path.
  await ponte.deps.db.query(
    `INSERT INTO chats (status, department_id, client, client_code)
     SELECT 'closed', 'bench', '{}'::jsonb, (200000 + g)::text FROM generate_series(0, $1::int - 1) AS g`,
    [CLIENTS],
  );
  const run = (request: CannonRequest, duration = SECONDS) => autocannon({ url, connections: CONNECTIONS, duration, requests: [request] });
  await run(pushes, 2);
  await run(noop, 2);
  const events = await run(pushes);
  const bare = await run(noop);
  const failures = events.non2xx + events.errors + bare.non2xx + bare.errors;
  const eventsPerSecond = events.requests.average * BATCH;
  process.stdout.write(`${machine()}\nmode: ${mode}, ${CONNECTIONS} connections, ${SECONDS} s per route, ${BATCH} events per push\n\n`);
  process.stdout.write(`${table('ERP pushes vs a bare authenticated no-op route (same run)', [
    { route: 'GET /bench/noop (auth only)', 'requests/s': Math.round(bare.requests.average), 'events/s': '—', 'p50 ms': bare.latency.p50, 'p99 ms': bare.latency.p99, 'requests vs no-op': '1.00×' },
    { route: `POST /v1/erp/events (${BATCH}/push)`, 'requests/s': Math.round(events.requests.average), 'events/s': Math.round(eventsPerSecond), 'p50 ms': events.latency.p50, 'p99 ms': events.latency.p99, 'requests vs no-op': ratio(events.requests.average, bare.requests.average) },
  ])}\n\nevents/s ÷ no-op requests/s: ${ratio(eventsPerSecond, bare.requests.average)}\n`);
  if (failures) process.stdout.write(`\nWARNING: ${failures} failed or non-2xx requests: the numbers above are not valid.\n`);
} finally {
  await ponte.close();
}
