// The connector against the real sandbox on a free port: every lookup, every write, and tokens
// that expire while ponte runs.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { SEED } from '../../../connectors/bimer/sandbox/server.js';
import type { CaseRecord } from '../../../src/connectors/contract.js';
import { failure, sleep, startHarness, type Harness } from './harness.js';

const caseRecord = (ref: string, extra: Partial<CaseRecord> = {}): CaseRecord => ({
  externalRef: ref,
  clientCode: SEED.clients.company,
  productId: SEED.products.erp,
  caseTypeId: SEED.caseTypes.support,
  subject: 'Dúvida sobre boleto',
  opinion: 'Cliente orientado pelo chat.',
  closeCase: false,
  priority: false,
  ...extra,
});

describe('the bimer mapping set against the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  describe('lookups', () => {
    it('finds a client by its code, zero-padding what users type, and answers null for an unknown code (C01)', async () => {
      expect(await h.connector.getClient('12', h.ctx)).toEqual({
        code: '000012',
        id: '00A0000001',
        companyName: 'Padaria Pão Quente Ltda',
        shortName: 'Pão Quente',
        taxId: '11222333000181',
      });
      expect(await h.connector.getClient('999999', h.ctx)).toBeNull();
    });

    it('lists products with their active flag, case types with standard opinions, users, responsibility centers', async () => {
      const products = await h.connector.listProducts(h.ctx);
      expect(products).toHaveLength(4);
      expect(products.find((p) => p.id === SEED.products.inactive)).toMatchObject({ active: false });
      const caseTypes = await h.connector.listCaseTypes(h.ctx);
      expect(caseTypes.find((t) => t.id === SEED.caseTypes.support)!.standardOpinions).toContainEqual({ id: '00A0000031', text: 'Cliente orientado pelo chat.' });
      expect(await h.connector.listUsers(h.ctx)).toContainEqual({ id: SEED.users.ana, name: 'Ana Souza', spySystemLogin: 'ana.souza' });
      expect((await h.connector.listResponsibilityCenters(h.ctx)).map((c) => c.id)).toEqual([SEED.centers.support, SEED.centers.commercial]);
    });

    it('reads an existing process with its next contact, and null for an unknown number', async () => {
      expect(await h.connector.getProcess(SEED.openProcess, h.ctx)).toEqual({
        number: '10000001',
        status: 'ABERTO',
        nextContactDate: '2030-06-03T12:00:00.000Z',
        nextContactUserId: SEED.users.bruno,
        clientCode: SEED.clients.company,
      });
      expect(await h.connector.getProcess('99999999', h.ctx)).toBeNull();
    });

    it("lists a client's products and its open cases only (critical factors)", async () => {
      expect((await h.connector.listClientProducts(SEED.clients.company, h.ctx)).map((p) => p.id)).toEqual([SEED.products.erp, SEED.products.crm]);
      expect(await h.connector.listCriticalFactors(SEED.clients.company, h.ctx)).toEqual([
        { number: SEED.openProcess, subject: 'Erro ao emitir nota fiscal', openedAt: '2024-05-20T13:45:00.000Z' },
      ]);
      expect(await h.connector.listCriticalFactors(SEED.clients.person, h.ctx)).toEqual([]);
    });

    it('reports delinquency from the INADIMPLENTE característica, and null for an unknown client', async () => {
      expect(await h.connector.getMarkers(SEED.clients.delinquent, h.ctx)).toEqual({
        delinquent: true, since: '2024-03-01T00:00:00.000Z', reason: 'CLIENTE INADIMPLENTE',
        markers: [
          { code: '00A0000061', label: 'CLIENTE INADIMPLENTE', since: '2024-03-01T00:00:00.000Z', delinquency: true },
          { code: '00A0000062', label: 'VAREJO', since: '2019-05-10T00:00:00.000Z', delinquency: false },
        ],
      });
      expect(await h.connector.getMarkers(SEED.clients.company, h.ctx)).toEqual({ delinquent: false, markers: [] });
      expect(await h.connector.getMarkers('999999', h.ctx)).toBeNull();
      expect(await h.connector.listProductVersions(SEED.clients.delinquent, h.ctx)).toEqual([
        { system: 'Bimer ERP', used: '10.2', entitled: '10.4', downloaded: '10.3' },
        { system: 'Bimer Folha', used: '3.1', entitled: '3.1', downloaded: '3.1' },
      ]);
      expect(await h.connector.listProductVersions(SEED.clients.company, h.ctx)).toEqual([]);
    });

    it('is ready when a token can be obtained', async () => {
      await expect(h.connector.ping(h.ctx)).resolves.toBeUndefined();
    });
  });

  describe('writes', () => {
    it('creates a case, then finds it by its external reference', async () => {
      expect(await h.connector.findCaseByExternalRef('ext-create-1', h.ctx)).toBeNull();
      const number = await h.connector.createCase(caseRecord('ext-create-1', { nextContact: { userId: SEED.users.ana, date: '2031-01-10' } }), h.ctx);
      expect(number).toMatch(/^\d{8}$/);
      expect(await h.connector.findCaseByExternalRef('ext-create-1', h.ctx)).toBe(number);
      const stored = h.sandbox.state.cases.find((c) => c.Numero === number)!;
      expect(stored).toMatchObject({ ReferenciaExterna: 'ext-create-1', Situacao: 'ABERTO', IdentificadorUsuarioProximoContato: SEED.users.ana });
      expect(await h.connector.getProcess(number, h.ctx)).toMatchObject({ status: 'ABERTO', nextContactUserId: SEED.users.ana });
    });

    it('adds an opinion once it is known to be missing, and then reports it present', async () => {
      expect(await h.connector.hasOpinion(SEED.openProcess, 'ext-op-1', h.ctx)).toBe(false);
      await h.connector.addOpinion({ processNumber: SEED.openProcess, text: 'O cliente respondeu: resolvido.', externalRef: 'ext-op-1' }, h.ctx);
      expect(await h.connector.hasOpinion(SEED.openProcess, 'ext-op-1', h.ctx)).toBe(true);
      const opinions = h.sandbox.state.cases.find((c) => c.Numero === SEED.openProcess)!.Pareceres;
      expect(opinions.filter((o) => o.ReferenciaExterna === 'ext-op-1').map((o) => o.Texto)).toEqual(['O cliente respondeu: resolvido.']);
    });

    it('notifies SpySystem users and e-mail recipients on a process', async () => {
      await h.connector.notify({ processNumber: SEED.openProcess, spySystemLogins: ['ana.souza'], emails: ['gestor@cliente.com.br'], externalRef: 'ext-n-1' }, h.ctx);
      expect(h.sandbox.state.cases.find((c) => c.Numero === SEED.openProcess)!.Notificacoes).toContainEqual(
        expect.objectContaining({ LoginsSpySystem: ['ana.souza'], Emails: ['gestor@cliente.com.br'], ReferenciaExterna: 'ext-n-1' }),
      );
    });

    it('updates an existing process: close, responsibility center, next contact, priority', async () => {
      const number = await h.connector.createCase(caseRecord('ext-upd-1'), h.ctx);
      await h.connector.updateProcess({ processNumber: number, closeCase: false, nextContact: { userId: SEED.users.ana, date: '2031-02-01' }, priority: true, externalRef: 'ext-upd-2' }, h.ctx);
      expect(h.sandbox.state.cases.find((c) => c.Numero === number)).toMatchObject({ Situacao: 'ABERTO', Prioritario: true, IdentificadorUsuarioProximoContato: SEED.users.ana, DataProximoContato: '2031-02-01' });
      await h.connector.updateProcess({ processNumber: number, closeCase: true, responsibilityCenterId: SEED.centers.commercial, externalRef: 'ext-upd-3' }, h.ctx);
      expect(h.sandbox.state.cases.find((c) => c.Numero === number)).toMatchObject({ Situacao: 'ENCERRADO', IdentificadorCentroResponsabilidade: SEED.centers.commercial });
      expect(h.sandbox.state.cases.find((c) => c.Numero === number)!.Atualizacoes!.map(({ Data: _d, ...sent }) => sent)).toEqual([
        { Encerrar: false, DataProximoContato: '2031-02-01', IdentificadorUsuarioProximoContato: SEED.users.ana, Prioritario: true, ReferenciaExterna: 'ext-upd-2' },
        { Encerrar: true, IdentificadorCentroResponsabilidade: SEED.centers.commercial, ReferenciaExterna: 'ext-upd-3' },
      ]);
      expect(await failure(h.connector.updateProcess({ processNumber: '99999999', closeCase: true, externalRef: 'r' }, h.ctx))).toMatchObject({ kind: 'permanent', code: 'ERP_NOT_FOUND' });
    });

    it('finds a notification on a process by its external reference', async () => {
      expect(await h.connector.findNotification(SEED.openProcess, 'ext-fn-1', h.ctx)).toBe(false);
      await h.connector.notify({ processNumber: SEED.openProcess, spySystemLogins: ['ana.souza'], emails: [], externalRef: 'ext-fn-1' }, h.ctx);
      expect(await h.connector.findNotification(SEED.openProcess, 'ext-fn-1', h.ctx)).toBe(true);
    });

    it('fails an opinion on an unknown process as permanent ERP_NOT_FOUND', async () => {
      expect(await failure(h.connector.addOpinion({ processNumber: '99999999', text: 'x', externalRef: 'r' }, h.ctx))).toMatchObject({ kind: 'permanent', code: 'ERP_NOT_FOUND' });
    });

    it('fails a case the ERP refuses as permanent ERP_VALIDATION naming the field', async () => {
      const error = await failure(h.connector.createCase(caseRecord('ext-bad-1', { productId: SEED.products.inactive }), h.ctx));
      expect(error).toMatchObject({ kind: 'permanent', code: 'ERP_VALIDATION' });
      expect(error.details).toEqual([expect.objectContaining({ path: 'IdentificadorProduto' })]);
      expect(error.message).toContain('inativo');
      expect(h.sandbox.state.cases.some((c) => c.ReferenciaExterna === 'ext-bad-1')).toBe(false);
    });
  });
});

describe('the bimer mapping set: tokens (bimer-classic)', () => {
  it('shares one token between concurrent calls', async () => {
    const h = await startHarness();
    try {
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? h.connector.listProducts(h.ctx) : h.connector.getClient('000034', h.ctx))));
      expect(h.sandbox.state.auth.grants).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('keeps working when tokens expire mid-run (expires_in of 1 s): it refreshes', async () => {
    const h = await startHarness({ sandbox: { tokenTtlSeconds: 1 } });
    try {
      await h.connector.listUsers(h.ctx);
      await sleep(1200);
      expect(await h.connector.getClient('000012', h.ctx)).not.toBeNull();
      await sleep(1200);
      expect(await h.connector.listProducts(h.ctx)).toHaveLength(4);
      const grants = h.sandbox.state.auth.grants.map((g) => g.grantType);
      expect(grants[0]).toBe('password');
      expect(grants).toContain('refresh_token');
    } finally {
      await h.close();
    }
  });

  it('recovers when the ERP expires the token before the connector expects (401 T01 → refresh → one retry)', async () => {
    let sandboxNow = Date.now();
    const h = await startHarness({ sandbox: { now: () => sandboxNow } });
    try {
      await h.connector.listUsers(h.ctx);
      sandboxNow += 2 * 3600_000; // the ERP's clock jumps past expires_in; ponte's does not
      expect(await h.connector.listUsers(h.ctx)).toHaveLength(3);
      expect(h.sandbox.state.auth.grants.map((g) => g.grantType)).toEqual(['password', 'refresh_token']);
      const answers = h.traces.filter((t) => t.operation === 'listUsers').map((t) => t.status);
      expect(answers).toEqual([200, 401, 200]);
    } finally {
      await h.close();
    }
  });

  it('fails with permanent ERP_AUTH_REJECTED when the credentials are wrong', async () => {
    const h = await startHarness({ credentials: { password: 'wrong-password' } });
    try {
      expect(await failure(h.connector.ping(h.ctx))).toMatchObject({ kind: 'permanent', code: 'ERP_AUTH_REJECTED' });
      expect(h.sandbox.state.auth.grants).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
