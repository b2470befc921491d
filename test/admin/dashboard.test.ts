// The admin dashboard: GET /v1/admin/dashboard (integrations finished per hour over the last
// 24 h by outcome, counts by status, outbox backlog, oldest pending, ERP state) and the page
// in Chromium — pt-BR by default, English on request, dates in America/Sao_Paulo whatever the
// browser's zone, and the chart drawn from a seeded run (checked by its structure: which bar
// is where, and the colour the screenshot shows there).

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { AddressInfo } from 'node:net';
import { startPonte, auth, eventually, KEYS, type Ponte } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import { readPng } from '../support/png.js';
import { hourlyBuckets } from '../../src/admin/dashboard.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const HOUR = 3_600_000;
const floorHour = (d: Date) => new Date(Math.floor(d.getTime() / HOUR) * HOUR).toISOString();
/** The fills of style.css, as the screenshot must show them. */
const COLOURS = { succeeded: [0x1b, 0x7f, 0x3b], failed: [0xd9, 0x2d, 0x20], dead: [0x7a, 0x27, 0x1a], cancelled: [0x98, 0xa2, 0xb3] } as const;

type Dashboard = {
  generatedAt: string;
  hourly: Array<{ hour: string; counts: Record<string, number> }>;
  counts: Record<string, number>;
  outboxBacklog: number;
  oldestPendingAgeSeconds: number | null;
  oldestPendingAt: string | null;
  erp: { connector: string; state: string };
};

describe('hourly buckets', () => {
  it('are the 24 hours ending with the current one, zero-filled, ignoring what falls outside', () => {
    const now = new Date('2026-12-01T15:42:00Z');
    const buckets = hourlyBuckets(now, [
      { hour: new Date('2026-12-01T15:00:00Z'), status: 'succeeded', n: 4 },
      { hour: new Date('2026-11-30T16:00:00Z'), status: 'failed', n: 2 },
      { hour: new Date('2026-11-30T15:00:00Z'), status: 'failed', n: 9 },
      { hour: new Date('2026-12-01T10:00:00Z'), status: 'running', n: 1 },
    ]);
    expect(buckets).toHaveLength(24);
    expect(buckets[0]).toEqual({ hour: '2026-11-30T16:00:00.000Z', counts: { succeeded: 0, failed: 2, dead: 0, cancelled: 0 } });
    expect(buckets[23]).toEqual({ hour: '2026-12-01T15:00:00.000Z', counts: { succeeded: 4, failed: 0, dead: 0, cancelled: 0 } });
    expect(buckets.reduce((n, b) => n + b.counts.succeeded + b.counts.failed + b.counts.dead + b.counts.cancelled, 0)).toBe(6);
  });
});

describe('the admin dashboard', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let browser: Browser;
  let base: string;
  const ids: Record<string, string[]> = { succeeded: [], failed: [] };

  const get = async (key: keyof typeof KEYS = 'admin') => p.app.inject({ method: 'GET', url: '/v1/admin/dashboard', headers: auth(key) });
  const status = async (id: string) => (await p.deps.db.query('SELECT status FROM integrations WHERE id = $1', [id])).rows[0]?.status as string;
  const post = async () => (await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() })).json().integrations[0].id as string;

  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('postgres', { env: { ...s.env, LOOKUP_CACHE_TTL_MS: '0' } });
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });

    // A seeded run: four integrations succeed, two are refused by the ERP; then their finishes
    // are spread over the day (two 3 h ago, one failure 5 h ago, one cancelled 5 h ago).
    for (let i = 0; i < 4; i++) ids.succeeded!.push(await post());
    for (const id of ids.succeeded!) await eventually(async () => (await status(id)) === 'succeeded', 'a seeded integration to succeed');
    for (let i = 0; i < 2; i++) {
      erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 1, action: { type: 'validation', field: 'Assunto', message: 'Assunto inválido' } });
      const id = await post();
      await eventually(async () => (await status(id)) === 'failed', 'a seeded integration to fail');
      ids.failed!.push(id);
    }
    const move = (hours: number, list: string[], set = '') =>
      p.deps.db.query(`UPDATE integrations SET finished_at = now() - make_interval(hours => $2)${set} WHERE id = ANY($1)`, [list, hours]);
    await move(3, ids.succeeded!.slice(0, 2));
    await move(5, [ids.failed![0]!]);
    await move(5, [ids.succeeded![2]!], ", status = 'cancelled'");
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await p?.close();
    await erp?.close();
  });

  /** What the dashboard must count per hour: every finish in the last 24 h, by its hour. */
  async function expectedHours(): Promise<Map<string, Record<string, number>>> {
    const { rows } = await p.deps.db.query<{ status: string; finished_at: Date }>("SELECT status, finished_at FROM integrations WHERE finished_at IS NOT NULL");
    const byHour = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const counts = byHour.get(floorHour(r.finished_at)) ?? { succeeded: 0, failed: 0, dead: 0, cancelled: 0 };
      counts[r.status]! += 1;
      byHour.set(floorHour(r.finished_at), counts);
    }
    return byHour;
  }

  it('answers the last 24 hours by outcome, the counts by status and the ERP state, for admins only', async () => {
    expect((await get('helpdesk')).statusCode).toBe(403);
    expect((await p.app.inject({ method: 'GET', url: '/v1/admin/dashboard' })).statusCode).toBe(401);

    const res = await get();
    expect(res.statusCode).toBe(200);
    // The last outcome's events reach the outbox as the integration finishes; the relay hands them on right after.
    const view = await eventually(async () => {
      const v = (await get()).json() as Dashboard;
      return v.outboxBacklog === 0 && v;
    }, 'the outbox to be handed on');
    expect(view.hourly).toHaveLength(24);
    expect(view.hourly.at(-1)!.hour).toBe(floorHour(new Date(view.generatedAt)));
    const expected = await expectedHours();
    for (const bucket of view.hourly) expect(bucket.counts, bucket.hour).toEqual(expected.get(bucket.hour) ?? { succeeded: 0, failed: 0, dead: 0, cancelled: 0 });
    const total = view.hourly.reduce((n, b) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0);
    expect(total).toBe(6);
    expect(view.counts).toEqual({ pending: 0, running: 0, succeeded: 3, failed: 2, dead: 0, cancelled: 1 });
    expect(view.oldestPendingAgeSeconds).toBeNull();
    expect(view.erp).toMatchObject({ connector: 'bimer', state: 'up' });
  });

  it('shows the outbox backlog and the oldest pending integration while the relay is held', async () => {
    await p.deps.relay.stop();
    try {
      const id = await post();
      const view = (await get()).json() as Dashboard;
      expect(view.outboxBacklog).toBeGreaterThanOrEqual(1);
      expect(view.counts.pending).toBe(1);
      const { rows } = await p.deps.db.query<{ created_at: Date }>('SELECT created_at FROM integrations WHERE id = $1', [id]);
      expect(view.oldestPendingAt).toBe(rows[0]!.created_at.toISOString());
      expect(view.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(0);
      ids.succeeded!.push(id);
    } finally {
      p.deps.relay.start();
    }
    await eventually(async () => (await status(ids.succeeded!.at(-1)!)) === 'succeeded', 'the held integration to succeed');
    await eventually(async () => ((await get()).json() as Dashboard).outboxBacklog === 0, 'the backlog to drain');
  });

  it('draws the chart in Chromium from the seeded run, in pt-BR with São Paulo times, and switches to English', async () => {
    // The browser lives in Tokyo: the page must still show São Paulo's hours.
    const context = await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'en-US', deviceScaleFactor: 1, viewport: { width: 1280, height: 1400 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    await page.goto(`${base}/admin`);
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR');
    expect(await page.locator('#login').textContent()).toBe('Entrar');
    await page.fill('#api-key', KEYS.admin);
    await page.click('#login');
    await page.waitForSelector('#chart svg g.hour');

    const view = (await get()).json() as Dashboard;
    const hours = page.locator('#chart g.hour');
    expect(await hours.count()).toBe(24);
    expect(await hours.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-hour')))).toEqual(view.hourly.map((h) => h.hour));
    // Every bar of the seeded run, and only those, with heights to scale.
    const bars = await page.locator('#chart rect.bar').evaluateAll((rs) => rs.map((r) => ({
      hour: r.parentElement!.getAttribute('data-hour')!, outcome: r.getAttribute('data-outcome')!, count: Number(r.getAttribute('data-count')), height: r.getBoundingClientRect().height,
    })));
    const expected = view.hourly.flatMap((h) => Object.entries(h.counts).filter(([, n]) => n > 0).map(([outcome, count]) => ({ hour: h.hour, outcome, count })));
    expect(bars.map(({ hour, outcome, count }) => ({ hour, outcome, count }))).toEqual(expect.arrayContaining(expected));
    expect(bars).toHaveLength(expected.length);
    const unit = bars[0]!.height / bars[0]!.count;
    for (const b of bars) expect(b.height / b.count).toBeCloseTo(unit, 1);

    // The screenshot shows each bar's colour at its centre and the background where there is none.
    const chart = page.locator('#chart svg');
    const box = (await chart.boundingBox())!;
    const image = readPng(await chart.screenshot());
    const centres = await page.locator('#chart rect.bar').evaluateAll((rs) => rs.map((r) => {
      const b = r.getBoundingClientRect();
      return { outcome: r.getAttribute('data-outcome')!, x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }));
    for (const c of centres) {
      const [r, g, b] = image.at(c.x - box.x, c.y - box.y);
      const want = COLOURS[c.outcome as keyof typeof COLOURS];
      expect(Math.abs(r - want[0]) + Math.abs(g - want[1]) + Math.abs(b - want[2]), `${c.outcome} bar at ${c.x},${c.y}`).toBeLessThan(24);
    }
    const empty = view.hourly.findIndex((h) => Object.values(h.counts).every((n) => n === 0));
    const [er, eg, eb] = image.at((empty + 0.5) * (box.width / 24), box.height / 2);
    expect(er + eg + eb).toBeGreaterThan(3 * 240);

    // Figures and words in pt-BR; the hour labels and dates in São Paulo time.
    expect(await page.locator('#dashboard h2 [data-i18n="dashboard"]').textContent()).toBe('Visão geral');
    expect(await page.locator('#status-counts [data-status="succeeded"] .figure-label').textContent()).toBe('concluída');
    expect(await page.locator('#status-counts [data-status="succeeded"] .figure-value').textContent()).toBe(String(view.counts.succeeded));
    expect(await page.locator('#status-counts [data-status="cancelled"] .figure-value').textContent()).toBe('1');
    expect(await page.locator('#erp-state').getAttribute('data-state')).toBe('up');
    expect(await page.locator('#erp-state .figure-value').textContent()).toBe('respondendo');
    expect(await page.locator('#oldest-pending .figure-value').textContent()).toBe('nenhuma');
    const saoPauloHour = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(view.hourly[0]!.hour));
    expect(await hours.first().locator('text.label').textContent()).toBe(saoPauloHour);
    const failedRow = page.locator(`tr[data-id="${ids.failed![1]}"]`);
    expect(await failedRow.locator('td.status').textContent()).toBe('falhou');
    const created = (await p.deps.db.query<{ created_at: Date }>('SELECT created_at FROM integrations WHERE id = $1', [ids.failed![1]])).rows[0]!.created_at;
    const saoPaulo = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23' }).format(created);
    expect(await failedRow.locator('td').first().textContent()).toBe(saoPaulo);

    // English, kept for the next visit.
    await page.selectOption('#lang', 'en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('#dashboard h2 [data-i18n="dashboard"]').textContent()).toBe('Overview');
    expect(await page.locator('#status-counts [data-status="succeeded"] .figure-label').textContent()).toBe('succeeded');
    expect(await failedRow.locator('td.status').textContent()).toBe('failed');
    expect(await page.locator('#filter-status option[value="failed,dead"]').textContent()).toBe('failed + dead');
    await page.reload();
    expect(await page.locator('#login').textContent()).toBe('Sign in');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
