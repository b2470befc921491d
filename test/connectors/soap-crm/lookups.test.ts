import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, SEED, startHarness, watchProcess, type Harness } from './harness.js';

watchProcess();

describe('the soap-crm mapping set: lookups against the SOAP CRM peer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('reads a client by its 6-digit code, and null for an unknown code', async () => {
    expect(await h.connector.getClient(SEED.clients.padaria, h.ctx)).toEqual({
      code: '000012',
      id: '00A0000012',
      companyName: 'Padaria Pão Quente Ltda',
      shortName: 'Pão Quente',
      taxId: '11222333000181',
    });
    // Absent optional fields stay absent (no "undefined" strings from the XML layer).
    expect(await h.connector.getClient(SEED.clients.oficina, h.ctx)).toEqual({ code: '000031', id: '00A0000031', companyName: 'Oficina Torque Certo ME', taxId: '33444555000102' });
    expect(await h.connector.getClient('999999', h.ctx)).toBeNull();
  });

  it('lists products, active and inactive', async () => {
    const products = await h.connector.listProducts(h.ctx);
    expect(products).toContainEqual({ id: SEED.products.erp, name: 'Bimer ERP', active: true });
    expect(products).toContainEqual({ id: SEED.inactiveProduct, name: 'Bimer Folha (legado)', active: false });
  });

  it('lists case types with their standard opinions', async () => {
    const types = await h.connector.listCaseTypes(h.ctx);
    const support = types.find((t) => t.id === SEED.caseTypes.support)!;
    expect(support.standardOpinions).toContainEqual({ id: SEED.standardOpinions.chatSolved, text: 'Atendimento realizado pelo chat.' });
    // A single repeated element still comes back as a list.
    expect(types.find((t) => t.id === SEED.caseTypes.commercial)!.standardOpinions).toHaveLength(1);
  });

  it('lists users, with a SpySystem login when they have one', async () => {
    const users = await h.connector.listUsers(h.ctx);
    expect(users).toContainEqual({ id: SEED.users.ana, name: 'Ana Souza', spySystemLogin: 'ana.souza' });
    expect(users).toContainEqual({ id: SEED.users.carla, name: 'Carla Mendes' });
  });

  it('lists responsibility centers', async () => {
    expect(await h.connector.listResponsibilityCenters(h.ctx)).toEqual([
      { id: SEED.responsibilityCenters.support, name: 'Suporte' },
      { id: SEED.responsibilityCenters.commercial, name: 'Comercial' },
    ]);
  });

  it('reads an existing process with its next contact, and null for an unknown number', async () => {
    expect(await h.connector.getProcess(SEED.existingProcess, h.ctx)).toEqual({
      number: '10000001',
      status: 'Open',
      nextContactDate: '2025-07-01',
      nextContactUserId: SEED.users.bruno,
    });
    expect(await h.connector.getProcess('99999999', h.ctx)).toBeNull();
  });

  it("lists a client's products and open cases (chat details panel)", async () => {
    const products = await h.connector.listClientProducts(SEED.clients.padaria, h.ctx);
    expect(products.map((p) => p.id)).toEqual([SEED.products.erp, SEED.products.pdv]);
    expect(await h.connector.listCriticalFactors(SEED.clients.padaria, h.ctx)).toEqual([
      { number: SEED.existingProcess, subject: 'Erro ao emitir NF-e', openedAt: '2025-03-10T13:45:00Z' },
    ]);
    expect(await h.connector.listCriticalFactors(SEED.clients.mercado, h.ctx)).toEqual([]);
  });

  it('refuses lists for an unknown client with a permanent Client fault naming the field', async () => {
    const err = await failure(h.connector.listClientProducts('999999', h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_CLIENT_FAULT', kind: 'permanent' });
    expect(err.message).toContain('ClientCode: unknown client 999999');
  });

  it('reads delinquency markers, and null for an unknown client', async () => {
    expect(await h.connector.getMarkers(SEED.delinquentClient, h.ctx)).toEqual({
      delinquent: true, since: '2025-01-15', reason: 'Boletos vencidos há mais de 60 dias',
      markers: [{ code: 'INAD', label: 'Inadimplente', since: '2025-01-15', delinquency: true }, { code: 'VIP', label: 'Cliente VIP', since: '2021-06-01', delinquency: false }],
    });
    expect(await h.connector.getMarkers(SEED.clients.padaria, h.ctx)).toEqual({ delinquent: false, markers: [] });
    expect(await h.connector.getMarkers('999999', h.ctx)).toBeNull();
    expect(await h.connector.listProductVersions(SEED.delinquentClient, h.ctx)).toEqual([{ system: 'Bimer PDV', used: '4.0', entitled: '4.2', downloaded: '4.1' }]);
    expect(await h.connector.listProductVersions(SEED.clients.padaria, h.ctx)).toEqual([]);
  });

  it('answers ping while the service is up', async () => {
    await expect(h.connector.ping(h.ctx)).resolves.toBeUndefined();
  });

  it('traces every call with operation, arguments, answer, status and duration', async () => {
    h.traces.length = 0;
    await h.connector.getClient(SEED.clients.mercado, h.ctx);
    expect(h.traces).toHaveLength(1);
    expect(h.traces[0]).toMatchObject({
      operation: 'GetClient',
      request: { endpoint: h.peer.url, args: { Code: '000027' } },
      response: { Code: '000027', CompanyName: 'Mercado Boa Vista Ltda' },
      status: 200,
    });
    expect(h.traces[0]!.durationMs).toEqual(expect.any(Number));
  });
});
