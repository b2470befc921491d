// Session ingest: POST /v1/sessions with a 50-message transcript, next to a bare Fastify JSON
// route, both loaded with autocannon in the same run. Run alone: npx tsx bench/ingest.ts

import autocannon from 'autocannon';
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { benchSession } from './lib/sessions.js';
import { startBenchPonte, BENCH_KEY, type Mode } from './lib/ponte.js';
import { startServers, type Servers } from './lib/servers.js';
import { table, machine, ratio } from './lib/report.js';

export interface Load { rps: number; p50: number; p99: number; errors: number }

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);

async function load(url: string, opts: { body?: () => string; headers?: Record<string, string> }): Promise<Load> {
  const result = await autocannon({
    url,
    connections: 20,
    duration: DURATION_S,
    method: opts.body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...opts.headers },
    requests: [{ setupRequest: (req) => (opts.body ? { ...req, body: opts.body() } : req) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors };
}

export async function bareFastify(): Promise<Load> {
  const app = Fastify({ logger: false });
  app.post('/bare', async (request) => ({ ok: true, size: JSON.stringify(request.body).length }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const body = JSON.stringify(benchSession(50));
  try {
    return await load(`http://127.0.0.1:${port}/bare`, { body: () => body });
  } finally {
    await app.close();
  }
}

export async function sessionIngest(mode: Mode, servers: Servers): Promise<Load> {
  // Workers off: this measures intake (validation, one transaction, outbox), not the ERP calls.
  const p = await startBenchPonte(mode, servers, { workers: false });
  try {
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = p.app.server.address() as AddressInfo;
    const template = benchSession(50);
    return await load(`http://127.0.0.1:${port}/v1/sessions`, {
      headers: { authorization: `Bearer ${BENCH_KEY}` },
      body: () => JSON.stringify({ ...template, externalId: `bench-${randomUUID()}` }),
    });
  } finally {
    await p.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const servers = await startServers();
  try {
    const bare = await bareFastify();
    const rows = [{ target: 'bare Fastify JSON route', 'req/s': Math.round(bare.rps), 'p50 ms': bare.p50, 'p99 ms': bare.p99, 'vs bare': '1.00×' }];
    for (const mode of ['redis', 'postgres', 'embedded'] as Mode[]) {
      const r = await sessionIngest(mode, servers);
      rows.push({ target: `POST /v1/sessions (${mode})`, 'req/s': Math.round(r.rps), 'p50 ms': r.p50, 'p99 ms': r.p99, 'vs bare': ratio(r.rps, bare.rps) });
    }
    process.stdout.write(`${machine()}\n\n${table('Session ingest, 50-message transcript, 20 connections', rows)}\n`);
  } finally {
    await servers.stop();
  }
}
