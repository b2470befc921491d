// The client panel (GET /v1/chats/:id/details): ERP company and products, CPF/CNPJ checked
// (alphanumeric CNPJ included), satisfaction average, contact count, markers and versions;
// an ERP failure empties the ERP lists with erpError instead of failing the panel; on default
// settings the markers and product versions come from asking the ERP at chat start.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPonte, type Ponte } from '../support/ponte.js';
import { SANDBOX_CREDENTIALS, SEED, startBimerSandbox, type BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { activeChat, call, ok, seedTeam, startChat } from './fixtures.js';

describe('chat details on default settings (built-in sandbox ERP, no push, no marker refresh)', () => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte('embedded', { workers: false });
    await seedTeam(ponte.app);
  }, 120_000);
  afterAll(async () => ponte?.close());

  it("shows the sandbox's delinquent client with its alert: ponte asks the ERP when the chat starts", async () => {
    const chat = await startChat(ponte.app, { clientCode: '56', email: 'financeiro@bompreco.example' });
    const d = await ok(ponte.app, 'GET', `/v1/chats/${chat.id}/details`);
    expect(d.delinquent).toBe(true);
    expect(d.markers).toMatchObject({ delinquent: true, reason: 'CLIENTE INADIMPLENTE' });
    expect(d.alerts).toEqual([expect.objectContaining({ code: 'DELINQUENT', message: 'Cliente inadimplente' })]);
    // Every característica of the client is listed; delinquency first, highlighted.
    expect(d.markers.items).toEqual([
      { code: '00A0000061', label: 'CLIENTE INADIMPLENTE', since: '2024-03-01', delinquency: true, highlighted: true },
      { code: '00A0000062', label: 'VAREJO', since: '2019-05-10', delinquency: false, highlighted: false },
    ]);
    // The versions in use were asked from the ERP too (only the department's systems are shown).
    expect(d.productVersions).toEqual({
      systems: ['Bimer ERP', 'Bimer CRM'],
      items: [expect.objectContaining({ system: 'Bimer ERP', used: '10.2', entitled: '10.4', downloaded: '10.3' })],
    });
    const other = await startChat(ponte.app, { clientCode: '12', email: 'compras@paoquente.example' });
    const clean = await ok(ponte.app, 'GET', `/v1/chats/${other.id}/details`);
    expect([clean.delinquent, clean.alerts]).toEqual([false, []]);
  });
});

describe('chat details panel', () => {
  let ponte: Ponte;
  let sandbox: BimerSandbox;
  beforeAll(async () => {
    sandbox = await startBimerSandbox();
    const c = SANDBOX_CREDENTIALS;
    ponte = await startPonte('postgres', {
      workers: false,
      // No lookup cache: each panel asks the ERP, so injected faults show at once.
      env: { AGENTS_CAN_CLOSE: 'true', LOOKUP_CACHE_TTL_MS: '0', BIMER_URL: sandbox.url, BIMER_CLIENT_ID: c.clientId, BIMER_CLIENT_SECRET: c.clientSecret, BIMER_USERNAME: c.username, BIMER_PASSWORD: c.password },
    });
    await seedTeam(ponte.app);
  });
  afterAll(async () => {
    await ponte?.close();
    await sandbox?.close();
  });

  const details = async (chatId: string) => ok(ponte.app, 'GET', `/v1/chats/${chatId}/details`);

  it('shows the ERP company, its CNPJ, products and open cases for a client code', async () => {
    const chat = await startChat(ponte.app, { clientCode: '12', phone: '+55 11 4000-1234', email: 'compras@paoquente.example' });
    const d = await details(chat.id);
    expect(d).toMatchObject({
      companyName: 'Padaria Pão Quente Ltda',
      clientCode: '000012',
      taxId: { normalized: '11222333000181', kind: 'cnpj', valid: true, formatted: '11.222.333/0001-81' },
      contact: { name: 'João Cliente', email: 'compras@paoquente.example' },
      phone: '+55 11 4000-1234',
      subject: 'Erro ao emitir nota',
      delinquent: false,
      alerts: [],
    });
    expect(d.products.map((p: { id: string }) => p.id)).toEqual([SEED.products.erp, SEED.products.crm]);
    expect(d.criticalFactors.map((f: { number: string }) => f.number)).toContain(SEED.openProcess);
    expect(d.erpError).toBeUndefined();
  });

  it('flags an invalid CPF and accepts a valid alphanumeric CNPJ', async () => {
    const cpf = await startChat(ponte.app, { clientCode: undefined, taxId: '529.982.247-26', email: 'cpf@example.com' });
    expect((await details(cpf.id)).taxId).toMatchObject({ value: '529.982.247-26', kind: 'cpf', valid: false });
    const cnpj = await startChat(ponte.app, { clientCode: undefined, taxId: '12.ABC.345/01DE-35', email: 'novo@example.com' });
    expect((await details(cnpj.id)).taxId).toMatchObject({ value: '12.ABC.345/01DE-35', normalized: '12ABC34501DE35', kind: 'cnpj', valid: true });
  });

  it('averages the client\'s ratings and counts its contacts by e-mail or client code', async () => {
    const client = { clientCode: '34', email: 'maria@example.com', name: 'Maria' };
    for (const score of [5, 4]) {
      const chat = await activeChat(ponte.app, 'ana', client);
      await ok(ponte.app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' });
      await ok(ponte.app, 'POST', `/v1/chats/${chat.id}/rating`, { score });
    }
    await startChat(ponte.app, { ...client, email: 'outra.pessoa@example.com' }); // same client code, another contact
    const current = await startChat(ponte.app, { ...client, clientCode: undefined }); // same e-mail, no code
    const d = await details(current.id);
    expect(d).toMatchObject({ satisfactionAverage: 4.5, ratedChats: 2, contactCount: 3 });
    const byCode = await details((await startChat(ponte.app, client)).id);
    expect(byCode.contactCount).toBe(5);
  });

  it('shows the delinquency marker as an alert and the versions of the department\'s systems', async () => {
    const { db } = ponte.deps;
    await db.query('INSERT INTO client_markers (client_code, delinquent, since, reason, occurred_at) VALUES ($1, true, $2, $3, now())', ['000056', '2024-03-01', 'CLIENTE INADIMPLENTE']);
    await db.query(
      `INSERT INTO client_product_versions (client_code, system, used, entitled, downloaded, occurred_at)
       VALUES ('000056', 'Bimer ERP', '10.2', '10.4', '10.3', now()), ('000056', 'Bimer Folha', '3.1', '3.1', '3.1', now())`,
    );
    const chat = await startChat(ponte.app, { clientCode: '56', email: 'financeiro@bompreco.example' });
    const d = await details(chat.id);
    expect(d.delinquent).toBe(true);
    expect(d.markers).toMatchObject({ delinquent: true, since: '2024-03-01', reason: 'CLIENTE INADIMPLENTE' });
    expect(d.alerts).toEqual([expect.objectContaining({ code: 'DELINQUENT', since: '2024-03-01' })]);
    expect(d.productVersions).toEqual({
      systems: ['Bimer ERP', 'Bimer CRM'],
      items: [expect.objectContaining({ system: 'Bimer ERP', used: '10.2', entitled: '10.4', downloaded: '10.3' })],
    });
  });

  it('answers without the ERP lists, with erpError, when the ERP fails', async () => {
    sandbox.faults.inject({ method: 'GET', path: `/api/crm/pessoas/${SEED.clients.company}/produtos`, times: 20, action: { type: 'status', status: 503 } });
    try {
      const chat = await startChat(ponte.app, { clientCode: '12', email: 'erp-down@example.com' });
      const r = await call(ponte.app, 'GET', `/v1/chats/${chat.id}/details`);
      expect(r.status).toBe(200);
      expect(r.body.products).toEqual([]);
      expect(r.body.erpError).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect(r.body.clientCode).toBe('000012');
    } finally {
      sandbox.faults.clear();
    }
  });
});
