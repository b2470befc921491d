import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AddressInfo } from 'node:net';
import { startPonte, auth, eventually, KEYS, type Ponte, type Mode } from '../support/ponte.js';
import { integrationRequest, sandbox, session, SEED } from '../support/fixtures.js';
import { startWorkers, type Workers } from '../../src/jobs/workers.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

const MAIN_MODES: Mode[] = ['embedded', 'redis'];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.each(MAIN_MODES)('the admin page in a real browser, %s mode', (mode) => {
  let p: Ponte;
  let erp: BimerSandbox;
  let workers: Workers;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte(mode, { env: { ...s.env, LOOKUP_CACHE_TTL_MS: '0' }, workers: false });
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    // Room for a loaded machine: an embedded start (PGlite, every migration) has taken 90 s there.
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await workers?.close(2000);
    await p.close();
    await erp.close();
  });

  const status = async (id: string) => (await p.app.inject({ method: 'GET', url: `/v1/admin/integrations/${id}`, headers: auth('admin') })).json().status;

  /** Two integrations that fail for good: one names a product the ERP dropped, one meets an ERP refusal. */
  async function failTwo(): Promise<{ unknownProduct: string; refused: string }> {
    const post = async (body: object) => (await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body })).json().integrations[0].id as string;
    const unknownProduct = await post(session({ integrations: [integrationRequest({ productId: SEED.products.payroll })] }));
    erp.state.products = erp.state.products.filter((x) => x.Identificador !== SEED.products.payroll);
    workers = startWorkers(p.deps);
    await eventually(async () => (await status(unknownProduct)) === 'failed', 'the unknown-product integration to fail');
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 1, action: { type: 'validation', field: 'Assunto', message: 'Assunto inválido' } });
    const refused = await post(session());
    await eventually(async () => (await status(refused)) === 'failed', 'the refused integration to fail');
    return { unknownProduct, refused };
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${base}/admin`);
    await page.fill('#api-key', KEYS.admin);
    await page.click('#login');
    await page.waitForSelector('#main-view:not([hidden])');
  }

  it('shows failed integrations with their last error, and replays them to success', async () => {
    const { unknownProduct, refused } = await failTwo();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    await signIn(page);

    const row = (id: string) => page.locator(`tr[data-id="${id}"]`);
    await expect.poll(() => row(refused).locator('td.status').getAttribute('data-status')).toBe('failed');
    expect(await row(unknownProduct).locator('td.error').textContent()).toContain('UNKNOWN_PRODUCT');
    expect(await row(refused).locator('td.error').textContent()).toContain('Assunto');

    // The ERP accepts now (the fault was one-shot): a plain replay is enough.
    await row(refused).locator('button.replay').click();
    await expect.poll(() => row(refused).locator('td.status').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');

    // The dropped product needs a fix: open the detail, patch the product, replay.
    await row(unknownProduct).locator('button.details').click();
    await expect.poll(() => page.locator('#attempts tbody tr').count()).toBe(1);
    expect(await page.locator('#detail-request').textContent()).toContain(SEED.products.payroll);
    await page.fill('#patch', JSON.stringify({ productId: SEED.products.erp }));
    await page.click('#replay-patch');
    await expect.poll(() => row(unknownProduct).locator('td.status').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    await expect.poll(() => page.locator('#detail-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('succeeded');
    expect(await page.locator('#attempts tbody tr').count()).toBe(2);
    expect(await page.locator('#detail-audit').textContent()).toContain('integration.patched');
    expect(erp.state.cases.find((c) => c.ReferenciaExterna === unknownProduct)?.IdentificadorProduto).toBe(SEED.products.erp);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('refuses a bad patch with the field named, and a wrong key at sign-in', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/admin`);
    await page.fill('#api-key', KEYS.helpdesk);
    await page.click('#login');
    await expect.poll(() => page.locator('#message').textContent()).toContain('needs role admin');
    expect(await page.locator('#main-view').isHidden()).toBe(true);

    const [id] = (await p.deps.db.query("UPDATE integrations SET status = 'failed', error_code = 'UNKNOWN_PRODUCT', erp_process_number = NULL WHERE id = (SELECT id FROM integrations ORDER BY created_at LIMIT 1) RETURNING id")).rows.map((r) => r.id as string);
    await signIn(page);
    await page.locator(`tr[data-id="${id}"] button.details`).click();
    await page.waitForSelector('#detail:not([hidden])');
    await page.fill('#patch', JSON.stringify({ productId: '00A9999999' }));
    await page.click('#replay-patch');
    await expect.poll(() => page.locator('#message').textContent()).toContain('patch.productId: no ERP product 00A9999999');
    expect(await status(id!)).toBe('failed');
    await page.close();
  });
});
