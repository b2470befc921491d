import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { startPonte, auth, type Ponte } from '../support/ponte.js';
import { session } from '../support/fixtures.js';

/** Routes that take multipart uploads or raw signed bodies are driven by their own tests. */
const SKIP = [/\/attachments$/, /\/erp\/events$/, /^\/v1\/inbound\//];

interface Route { method: string; path: string }

/** Every row of every ponte table: a rejected request must leave this unchanged. */
async function rowCount(p: Ponte, tables: string[]): Promise<number> {
  const { rows } = await p.deps.db.query<{ n: number }>(`SELECT (${tables.map((t) => `(SELECT count(*) FROM ${t})`).join(' + ')})::int AS n`);
  return rows[0]!.n;
}

/** Strings with a NUL character somewhere, as fields, keys and values. */
const nul = fc.tuple(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })).map(([a, b]) => `${a}\u0000${b}`);
/** Thousands of unknown fields: every one of them is a validation problem. */
const hugeErrors = fc.integer({ min: 1_000, max: 5_000 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`unknown${i}`, i])));

const junk = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('text', 'name', 'departmentId', 'client', 'url', 'word', 'agentId'), nul),
  fc.dictionary(nul, fc.string()),
  hugeErrors,
  fc.object({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('text', 'from', 'agentId', 'departmentId', 'client', 'externalId', 'type', 'validUntil', 'clientCode', 'events', 'url', 'score', 'patch', 'filter', 'name', 'word'), fc.anything({ maxDepth: 2 })),
);

describe('drill: random and malformed bodies on every write route', () => {
  let p: Ponte;
  let routes: Route[];
  let tables: string[];
  let chatId: string;

  beforeAll(async () => {
    p = await startPonte('postgres');
    const doc = (await p.app.inject('/docs/json')).json();
    routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).filter((m) => ['post', 'put', 'patch', 'delete'].includes(m)).map((m) => ({ method: m.toUpperCase(), path })),
    ).filter((r) => r.path.startsWith('/v1/') && !SKIP.some((s) => s.test(r.path)));
    const { rows } = await p.deps.db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('schema_migrations', 'idempotency_keys')");
    tables = rows.map((r) => r.table_name);
    chatId = (await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('admin'), payload: session({ integrations: [] }) })).json().chatId;
  });
  afterAll(async () => {
    await p.close();
  });

  it('finds the write routes', () => {
    expect(routes.length).toBeGreaterThan(3);
  });

  it('never answers 5xx, and a refused request writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), junk, fc.boolean(), async (pick, body, realId) => {
        const route = routes[pick % routes.length]!;
        const url = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => (realId && name === 'id' ? chatId : name === 'id' ? '00000000-0000-4000-8000-000000000000' : 'x'));
        const before = await rowCount(p, tables);
        const res = await p.app.inject({ method: route.method as 'POST', url, headers: { ...auth('admin'), 'content-type': 'application/json' }, payload: JSON.stringify(body ?? null) });
        expect(res.statusCode, `${route.method} ${url} ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(await rowCount(p, tables), `${route.method} ${url} wrote rows`).toBe(before);
        if (res.statusCode >= 400) expect(res.json().error.code).toEqual(expect.any(String));
      }),
      { numRuns: 300 },
    );
  }, 300_000);

  it('answers 400, never 5xx, to cursors and filters that are not what the lists gave', async () => {
    const doc = (await p.app.inject('/docs/json')).json();
    const lists = Object.entries(doc.paths as Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>)
      .filter(([path, ops]) => path.startsWith('/v1/') && !path.includes('{') && ops.get?.parameters?.some((q) => q.in === 'query' && q.name === 'cursor'))
      .map(([path]) => path);
    expect(lists.length).toBeGreaterThan(2);
    const timestamps = fc.oneof(fc.constantFrom('Tue, 01 Jan 2030 00:00:00 GMT', '0000-01-01T00:00:00Z', '2030-13-45T99:99:99Z', '+275760-09-13T00:00:00Z', '2030', ''), fc.string());
    const cursors = fc.oneof(
      timestamps.map((t) => Buffer.from(`${t}|00000000-0000-4000-8000-000000000000`).toString('base64url')),
      timestamps.map((t) => Buffer.from(JSON.stringify([t, '00000000-0000-4000-8000-000000000000'])).toString('base64url')),
      fc.string(),
      nul,
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000 }), cursors, async (pick, cursor) => {
        const url = `${lists[pick % lists.length]}?cursor=${encodeURIComponent(cursor)}`;
        const res = await p.app.inject({ url, headers: auth('admin') });
        expect(res.statusCode, `${url} ${res.body}`).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
