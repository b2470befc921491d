// ERP_MAX_CONCURRENT is one bound for the whole installation: two ponte processes on the same
// database and queues, their integration jobs and their API's accept-time and form lookups,
// never have more calls at the ERP at once than the cap.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPonte, auth, eventually, freshDatabase, uniqueName, type Ponte } from '../support/ponte.js';
import { sandbox, session, integrationRequest } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

/** A slow pass-through in front of the ERP that counts the requests it holds at once. */
async function countingProxy(target: string, delayMs: number): Promise<{ url: string; peak: () => number; seen: () => number; close(): Promise<void> }> {
  let inFlight = 0;
  let peak = 0;
  let seen = 0;
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    inFlight++;
    seen++;
    peak = Math.max(peak, inFlight);
    const done = () => inFlight--;
    setTimeout(() => {
      const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', done);
      });
      out.on('error', () => {
        done();
        res.destroy();
      });
      req.pipe(out);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, peak: () => peak, seen: () => seen, close: () => new Promise((r) => server.close(() => r())) };
}

describe.each(['redis', 'postgres'] as const)('ERP_MAX_CONCURRENT across processes, %s', (mode) => {
  const CAP = 2;
  let erp: BimerSandbox;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let a: Ponte;
  let b: Ponte;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    proxy = await countingProxy(erp.url, 60);
    const env = { ...s.env, BIMER_URL: proxy.url, BIMER_TIMEOUT_MS: '5000', ERP_MAX_CONCURRENT: String(CAP), LOOKUP_CACHE_TTL_MS: '1' };
    const shared = { databaseUrl: await freshDatabase(), namespace: `${uniqueName('q')}-` };
    a = await startPonte(mode, { ...shared, env });
    b = await startPonte(mode, { ...shared, env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await proxy?.close();
    await erp?.close();
  });

  it('two processes, their jobs and their lookups together never exceed the cap at the ERP', async () => {
    const post = (p: Ponte, body: Record<string, unknown>) => p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body });
    const accepted = await Promise.all(Array.from({ length: 8 }, (_, i) => post(i % 2 ? a : b, session())));
    const ids = accepted.map((r) => {
      expect(r.statusCode).toBe(202);
      return r.json().integrations[0].id as string;
    });
    // Meanwhile the APIs look up the ERP too: unknown clients (no cache) and integration forms.
    const lookups = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => post(i % 2 ? a : b, session({ integrations: [integrationRequest({ clientCode: `9${String(i).padStart(5, '0')}` })] }))),
      ...accepted.slice(0, 4).map((r, i) => (i % 2 ? a : b).app.inject({ url: `/v1/chats/${r.json().chatId}/integration-form`, headers: auth('helpdesk') })),
    ]);
    expect(lookups.every((r) => r.statusCode < 500)).toBe(true);
    await eventually(async () => {
      const { rows } = await a.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM integrations WHERE id = ANY($1::uuid[]) AND status = 'succeeded'", [ids]);
      return rows[0]!.n === ids.length;
    }, 'every integration to succeed', 60_000);
    expect(ids.map((id) => erp.state.cases.filter((c) => c.ReferenciaExterna === id).length)).toEqual(Array(ids.length).fill(1));
    expect(proxy.seen()).toBeGreaterThan(ids.length);
    expect(proxy.peak()).toBeLessThanOrEqual(CAP);
  }, 120_000);
});
