import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, type Ponte, type Mode } from '../support/ponte.js';
import { insertChat, insertIntegrations } from './rows.js';

const MAIN_MODES: Mode[] = ['embedded', 'redis'];

describe.each(MAIN_MODES)('admin integration list, %s mode', (mode) => {
  let p: Ponte;
  let chatId: string;
  const base = Date.parse('2026-03-01T12:00:00Z');
  beforeAll(async () => {
    p = await startPonte(mode, { workers: false, relay: false });
    chatId = await insertChat(p.deps.db);
    // 300 rows across statuses, error codes, connectors and clients, one per minute back in time.
    await insertIntegrations(p.deps.db, { count: 120, status: 'failed', errorCode: 'UNKNOWN_PRODUCT', createdAt: new Date(base), stepMs: 60_000 });
    await insertIntegrations(p.deps.db, { count: 60, status: 'failed', errorCode: 'LOOKUP_MISMATCH', clientCode: '000034', chatId, createdAt: new Date(base - 30_000), stepMs: 60_000 });
    await insertIntegrations(p.deps.db, { count: 50, status: 'dead', connector: 'soap-crm', createdAt: new Date(base - 10_000), stepMs: 60_000 });
    await insertIntegrations(p.deps.db, { count: 70, status: 'succeeded', createdAt: new Date(base - 20_000), stepMs: 60_000 });
    // Rows sharing one created_at: the keyset must still page through each exactly once.
    await insertIntegrations(p.deps.db, { count: 12, status: 'failed', errorCode: 'SAME_TIME', createdAt: new Date(base + 1000), stepMs: 0 });
  });
  afterAll(() => p.close());

  async function list(query: string) {
    const res = await p.app.inject({ method: 'GET', url: `/v1/admin/integrations?${query}`, headers: auth('admin') });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Array<{ id: string; status: string; createdAt: string; lastError: { code: string } | null; connector: string; clientCode: string; chatId: string | null }>; nextCursor: string | null };
  }

  async function all(query: string, limit: number) {
    const seen = [];
    let cursor: string | null = null;
    do {
      const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return seen;
  }

  it('pages through every matching row once, newest first, with an opaque cursor', async () => {
    const rows = await all('status=failed', 37);
    expect(rows).toHaveLength(192);
    expect(new Set(rows.map((r) => r.id)).size).toBe(192);
    const keys = rows.map((r) => [r.createdAt, r.id] as const);
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1]!, keys[i]!];
      expect(a[0] > b[0] || (a[0] === b[0] && a[1] > b[1])).toBe(true);
    }
    expect(rows.every((r) => r.status === 'failed')).toBe(true);
  });

  it('defaults to 50 per page and refuses more than 500', async () => {
    expect((await list('')).items).toHaveLength(50);
    const res = await p.app.inject({ method: 'GET', url: '/v1/admin/integrations?limit=501', headers: auth('admin') });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('limit');
    expect((await list('limit=500')).items).toHaveLength(312);
  });

  it('filters by status list, error code, connector, chat, client code and time range', async () => {
    expect(await all('status=failed,dead', 100)).toHaveLength(242);
    expect(await all('status=failed&status=dead', 100)).toHaveLength(242);
    expect((await all('errorCode=LOOKUP_MISMATCH', 100)).every((r) => r.lastError?.code === 'LOOKUP_MISMATCH')).toBe(true);
    expect(await all('errorCode=LOOKUP_MISMATCH', 100)).toHaveLength(60);
    const soap = await all('connector=soap-crm', 100);
    expect(soap).toHaveLength(50);
    expect(soap.every((r) => r.status === 'dead' && r.connector === 'soap-crm')).toBe(true);
    expect(await all(`chatId=${chatId}`, 100)).toHaveLength(60);
    expect(await all('clientCode=34', 100)).toHaveLength(60);
    // The first 10 minutes before base: rows created at base-1min .. base-10min of each group.
    const since = new Date(base - 10 * 60_000).toISOString();
    const until = new Date(base).toISOString();
    const window = await all(`status=failed&errorCode=UNKNOWN_PRODUCT&since=${since}&until=${until}`, 3);
    expect(window).toHaveLength(10);
    expect(window.every((r) => r.createdAt >= since && r.createdAt < until)).toBe(true);
  });

  it('names the bad filter fields and refuses a forged cursor', async () => {
    const res = await p.app.inject({ method: 'GET', url: '/v1/admin/integrations?status=broken&chatId=nope&since=yesterday', headers: auth('admin') });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['since']));
    const bad = await p.app.inject({ method: 'GET', url: '/v1/admin/integrations?status=broken&chatId=nope', headers: auth('admin') });
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['status', 'chatId']);
    const forged = await p.app.inject({ method: 'GET', url: `/v1/admin/integrations?cursor=${Buffer.from('["x"]').toString('base64url')}`, headers: auth('admin') });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.details[0].path).toBe('cursor');
  });
});
