// Drill: hostile bodies on the routes that parse what clients write (inbound e-mail, markdown
// and HTML replies, spell-check, huge error lists, deep JSON) never hold the event loop: the
// longest stall measured by perf_hooks.monitorEventLoopDelay while each one runs stays under
// 100 ms, and /health answers meanwhile. Each body runs up to five times and the best run
// counts, so a pause of the machine (GC, another process) is not blamed on the request.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startPonte, auth, type Ponte } from '../support/ponte.js';
import { createReturn, ok } from '../returns/fixtures.js';
import { seedTeam } from '../chats/fixtures.js';
import { SCALE } from './drill-kit.js';

const BOUND_MS = 100;

interface Hostile { name: string; method: 'POST'; url: (ids: Ids) => string; body: unknown; headers?: Record<string, string> }
interface Ids { returnId: string; portalToken: string }

const HOSTILE: Hostile[] = [
  { name: 'inbound e-mail: 200 KB of " on at"', method: 'POST', url: (i) => `/v1/returns/${i.returnId}/inbound-email`, body: { from: 'joao@padaria.example', rawText: ' on at'.repeat(33_000) } },
  { name: 'inbound e-mail: header-like lines', method: 'POST', url: (i) => `/v1/returns/${i.returnId}/inbound-email`, body: { from: 'joao@padaria.example', rawText: 'On at on at on\n'.repeat(13_000) } },
  { name: 'inbound e-mail: endless quotes', method: 'POST', url: (i) => `/v1/returns/${i.returnId}/inbound-email`, body: { from: 'joao@padaria.example', rawText: `oi\n${'> <a <b>\n'.repeat(20_000)}` } },
  { name: 'inbound e-mail: unclosed tags', method: 'POST', url: (i) => `/v1/returns/${i.returnId}/inbound-email`, body: { from: 'joao@padaria.example', rawText: '<a '.repeat(66_000) } },
  { name: 'markdown reply: 20,000 "["', method: 'POST', url: (i) => `/v1/returns/${i.returnId}/messages`, body: { format: 'markdown', text: '['.repeat(20_000) } },
  { name: 'markdown reply: unclosed links', method: 'POST', url: (i) => `/v1/returns/${i.returnId}/messages`, body: { format: 'markdown', text: '[a](http://a'.repeat(1_600) } },
  { name: 'markdown reply: emphasis everywhere', method: 'POST', url: (i) => `/v1/returns/${i.returnId}/messages`, body: { format: 'markdown', text: '**a *b _c'.repeat(2_000) } },
  { name: 'markdown reply: a list at the limit', method: 'POST', url: (i) => `/v1/returns/${i.returnId}/messages`, body: { format: 'markdown', text: '1. a\n'.repeat(999) } },
  { name: 'markdown reply: a list over the limit', method: 'POST', url: (i) => `/v1/returns/${i.returnId}/messages`, body: { format: 'markdown', text: '1. a\n'.repeat(4_000) } },
  { name: 'HTML reply: nested tags at the limit', method: 'POST', url: (i) => `/v1/returns/${i.returnId}/messages`, body: { format: 'html', text: '<b>'.repeat(2_000) } },
  { name: 'HTML reply: over the limit', method: 'POST', url: (i) => `/v1/returns/${i.returnId}/messages`, body: { format: 'html', text: '<i>'.repeat(30_000) } },
  { name: 'portal answer: 1 MB of unknown fields, with the token', method: 'POST', url: (i) => `/v1/portal/returns/${i.returnId}/answer?token=${i.portalToken}`, body: Object.fromEntries(Array.from({ length: 80_000 }, (_, n) => [`f${n}`, n])) },
  { name: 'session: deeply nested body', method: 'POST', url: () => '/v1/sessions', body: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`, headers: { 'content-type': 'application/json' } },
  { name: 'spell-check: 20,000 characters of nonsense', method: 'POST', url: () => '/v1/spellcheck', body: { agentId: 'ana', text: Array.from({ length: 2_500 }, (_, n) => `xq${n.toString(36)}zv`).join(' ').slice(0, 20_000) } },
];

describe('drill: no single request blocks the event loop', () => {
  let p: Ponte;
  let ids: Ids;
  beforeAll(async () => {
    p = await startPonte('postgres', { workers: false, relay: false });
    await seedTeam(p.app);
    const r = await createReturn(p.app, 'question');
    ids = { returnId: r.id, portalToken: r.portalToken };
    await ok(p.app, 'POST', `/v1/returns/${ids.returnId}/messages`, { text: 'aquecimento', format: 'markdown' });
  }, 120_000);
  afterAll(() => p?.close());

  /** The longest event-loop stall while the request runs, and whether /health kept answering. */
  async function stall(h: Hostile): Promise<{ maxMs: number; status: number; health: number[] }> {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    const health: number[] = [];
    histogram.enable();
    const request = p.app.inject({ method: h.method, url: h.url(ids), headers: { ...auth('admin'), ...h.headers }, payload: h.body as string });
    let done = false;
    const probes = (async () => {
      while (!done) {
        health.push((await p.app.inject({ url: '/health' })).statusCode);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const res = await request;
    done = true;
    await probes;
    histogram.disable();
    return { maxMs: histogram.max / 1e6, status: res.statusCode, health };
  }

  it.each(HOSTILE)('$name', async (h) => {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5 * SCALE && best >= BOUND_MS; run++) {
      const { maxMs, status, health } = await stall(h);
      expect(status, h.name).toBeLessThan(500);
      expect(health.every((s) => s === 200)).toBe(true);
      best = Math.min(best, maxMs);
    }
    expect(best, `${h.name}: longest event-loop stall in ms`).toBeLessThan(BOUND_MS);
  }, 120_000);
});
