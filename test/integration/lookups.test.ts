import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { LookupCache, type ErpReads } from '../../src/integration/lookups.js';
import type { ErpProduct } from '../../src/connectors/contract.js';
import { startPonte, auth, type Ponte } from '../support/ponte.js';
import { integrationRequest, sandbox, session } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

function fakeErp() {
  const calls: string[] = [];
  let products: ErpProduct[] = [{ id: 'P1', name: 'ERP', active: true }];
  const held: Array<() => void> = [];
  const gate = { hold: false, release: () => held.splice(0).forEach((resume) => resume()) };
  const reads = {
    async listProducts() {
      calls.push('products');
      if (gate.hold) await new Promise<void>((resume) => held.push(resume));
      return products;
    },
    async getClient(code: string) {
      calls.push(`client:${code}`);
      return code === '000012' ? { code, id: 'C1', companyName: 'Padaria' } : null;
    },
  } as unknown as ErpReads;
  return { calls, reads, gate, addProduct: (p: ErpProduct) => (products = [...products, p]) };
}

describe('ERP lookups (cache)', () => {
  it('load each list once for concurrent callers (single-flight)', async () => {
    const erp = fakeErp();
    erp.gate.hold = true;
    const cache = new LookupCache(erp.reads, 60_000, 5_000);
    const waiting = Promise.all([cache.products(), cache.product('P1'), cache.products()]);
    await new Promise((r) => setTimeout(r, 10));
    erp.gate.release();
    expect((await waiting)[1]).toMatchObject({ id: 'P1' });
    expect(erp.calls).toEqual(['products']);
  });

  it('reload the whole list for missing ids at most once per miss interval, and find a new id after it', async () => {
    const erp = fakeErp();
    let now = 1_000_000;
    const cache = new LookupCache(erp.reads, 60_000, 5_000, () => now);
    expect(await cache.product('P1')).toBeDefined();
    now += 6_000;
    for (const id of ['X1', 'X2', 'X3', 'X1']) expect(await cache.product(id)).toBeUndefined();
    expect(erp.calls).toEqual(['products', 'products']);
    erp.addProduct({ id: 'X1', name: 'Novo', active: true });
    now += 1_000;
    expect(await cache.product('X1')).toBeUndefined(); // remembered absent: no reload within the interval
    now += 5_000;
    expect(await cache.product('X1')).toMatchObject({ name: 'Novo' });
    expect(erp.calls).toEqual(['products', 'products', 'products']);
  });

  it('remember an unknown client only for the short miss TTL, a known one for the full TTL', async () => {
    const erp = fakeErp();
    let now = 0;
    const cache = new LookupCache(erp.reads, 60_000, 5_000, () => now);
    expect(await cache.client('000099')).toBeNull();
    expect(await cache.client('000012')).toMatchObject({ companyName: 'Padaria' });
    now += 6_000;
    await cache.client('000099');
    await cache.client('000012');
    expect(erp.calls).toEqual(['client:000099', 'client:000012', 'client:000099']);
  });
});

describe('ERP lookups through the API (redis)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('redis', { env: s.env, workers: false });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it('a burst of requests naming unknown products reloads the product list once, and each is refused naming productId', async () => {
    const before = erp.state.requests.filter((r) => r.url === '/api/crm/produtos').length;
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session({ integrations: [integrationRequest({ productId: `00Z000000${i}` })] }) })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(400));
    expect(answers.every((a) => a.json().error.details.some((d: { path: string }) => d.path === 'integrations[0].productId'))).toBe(true);
    const loads = erp.state.requests.filter((r) => r.url === '/api/crm/produtos').length - before;
    expect(loads).toBeLessThanOrEqual(2);
  });
});
