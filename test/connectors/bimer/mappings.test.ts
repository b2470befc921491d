// The bimer mapping set's write mappings produce payloads that its payload schemas
// (mappings/bimer/payloads/) accept, and that the ERP (the sandbox) accepts too.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { WRITE_CALLS, type CaseRecord, type ErpConnector, type NotifyRecord, type OpinionRecord, type WriteCall, type WriteRecords } from '../../../src/connectors/contract.js';
import { SEED } from '../../../connectors/bimer/sandbox/server.js';
import { connect } from '../connect.js';
import { startHarness, type Harness } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const schemas = {} as Record<WriteCall, ValidateFunction>;
let offline: ErpConnector;
/** What the set sends for a record: its dry run, no ERP involved. */
const map = async <C extends WriteCall>(op: C, input: WriteRecords[C]) => (await offline.dryRun(op, input)).request.payload as Record<string, unknown>;

beforeAll(async () => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  for (const op of WRITE_CALLS) schemas[op] = ajv.compile(JSON.parse(await readFile(path.join(ROOT, 'mappings/bimer/payloads', `${op}.json`), 'utf8')));
  offline = await connect('bimer', { BIMER_URL: 'http://unused.invalid', BIMER_CLIENT_ID: 'i', BIMER_CLIENT_SECRET: 's', BIMER_USERNAME: 'u', BIMER_PASSWORD: 'p' });
});

const fullCase: CaseRecord = {
  externalRef: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
  clientCode: '12',
  processNumber: SEED.openProcess,
  productId: SEED.products.erp,
  caseTypeId: SEED.caseTypes.support,
  subject: 'Erro ao emitir nota',
  opinion: 'Cliente orientado pelo chat.',
  contactPerson: 'João',
  closeCase: false,
  responsibilityCenterId: SEED.centers.support,
  nextContact: { userId: SEED.users.ana, date: '2031-02-03' },
  priority: true,
};
const minimalCase: CaseRecord = {
  externalRef: 'ref-min',
  clientCode: '000034',
  productId: SEED.products.crm,
  caseTypeId: SEED.caseTypes.commercial,
  subject: 'Proposta',
  opinion: 'Enviar proposta.',
  closeCase: true,
  priority: false,
};
const opinion: OpinionRecord = { externalRef: 'ref-op', processNumber: SEED.openProcess, text: 'Resposta do cliente.' };
const notifyRecord: NotifyRecord = { externalRef: 'ref-n', processNumber: SEED.openProcess, spySystemLogins: ['ana.souza', 'ana.souza'], emails: ['gestor@cliente.com.br'] };

describe('the bimer mapping set: write mappings and payload schemas', () => {
  it('maps a full case record to the PascalCase body, zero-padding the client code', async () => {
    const payload = await map('createCase', fullCase);
    expect(payload).toEqual({
      CodigoCliente: '000012',
      IdentificadorProduto: SEED.products.erp,
      IdentificadorTipoAtendimento: SEED.caseTypes.support,
      Assunto: 'Erro ao emitir nota',
      Parecer: 'Cliente orientado pelo chat.',
      PessoaContato: 'João',
      Encerrar: false,
      IdentificadorCentroResponsabilidade: SEED.centers.support,
      DataProximoContato: '2031-02-03',
      IdentificadorUsuarioProximoContato: SEED.users.ana,
      Prioritario: true,
      ReferenciaExterna: fullCase.externalRef,
    });
    expect(schemas.createCase(payload), JSON.stringify(schemas.createCase.errors)).toBe(true);
  });

  it('omits absent optional fields instead of sending null', async () => {
    const payload = await map('createCase', minimalCase);
    expect(Object.keys(payload).sort()).toEqual(
      ['Assunto', 'CodigoCliente', 'Encerrar', 'IdentificadorProduto', 'IdentificadorTipoAtendimento', 'Parecer', 'Prioritario', 'ReferenciaExterna'].sort(),
    );
    expect(schemas.createCase(payload), JSON.stringify(schemas.createCase.errors)).toBe(true);
  });

  it('maps opinions and notifications (recipients de-duplicated) to valid payloads', async () => {
    const op = await map('addOpinion', opinion);
    expect(op).toEqual({ Texto: 'Resposta do cliente.', ReferenciaExterna: 'ref-op' });
    expect(schemas.addOpinion(op)).toBe(true);
    const n = await map('notify', notifyRecord);
    expect(n).toEqual({ LoginsSpySystem: ['ana.souza'], Emails: ['gestor@cliente.com.br'], ReferenciaExterna: 'ref-n' });
    expect(schemas.notify(n)).toBe(true);
    expect(await map('notify', { ...notifyRecord, spySystemLogins: [] })).toMatchObject({ LoginsSpySystem: [] });
  });

  it('maps a process update to the PATCH body: only what is applied', async () => {
    const payload = await map('updateProcess', { externalRef: 'ref-u', processNumber: SEED.openProcess, closeCase: true, responsibilityCenterId: SEED.centers.support });
    expect(payload).toEqual({ Encerrar: true, IdentificadorCentroResponsabilidade: SEED.centers.support, ReferenciaExterna: 'ref-u' });
    expect(schemas.updateProcess(payload)).toBe(true);
    expect(await offline.dryRun('updateProcess', { externalRef: 'ref-u', processNumber: SEED.openProcess, nextContact: { date: 'amanhã' } })).toMatchObject({
      request: { method: 'PATCH', path: `/api/crm/atendimentos/${SEED.openProcess}` },
      problems: [{ path: 'DataProximoContato', field: 'nextContact.date', message: 'must match format "date"' }],
    });
  });

  it.each([
    ['an extra property', { Extra: 1 }, 'additionalProperties'],
    ['a 5-digit client code', { CodigoCliente: '00012' }, 'pattern'],
    ['a lower-case identifier', { IdentificadorProduto: '00a0000011' }, 'pattern'],
    ['a subject over 100 characters', { Assunto: 'x'.repeat(101) }, 'maxLength'],
    ['a date-time as next-contact date', { DataProximoContato: '2031-02-03T10:00:00Z' }, 'format'],
    ['an empty opinion', { Parecer: '' }, 'minLength'],
  ])('the createCase schema refuses %s', async (_what, change, keyword) => {
    const payload = { ...(await map('createCase', fullCase)), ...change };
    expect(schemas.createCase(payload)).toBe(false);
    expect(schemas.createCase.errors!.map((e) => e.keyword)).toContain(keyword);
  });

  it('the notify schema refuses a notification without recipients or with a bad e-mail', async () => {
    expect(schemas.notify(await map('notify', { ...notifyRecord, spySystemLogins: [], emails: [] }))).toBe(false);
    expect(schemas.notify(await map('notify', { ...notifyRecord, emails: ['not-an-email'] }))).toBe(false);
  });

  describe('against the sandbox ERP', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(() => h.close());

    it('accepts every mapped payload', async () => {
      const number = await h.connector.createCase(fullCase, h.ctx);
      await h.connector.createCase(minimalCase, h.ctx);
      await h.connector.addOpinion({ ...opinion, processNumber: number }, h.ctx);
      await h.connector.notify({ ...notifyRecord, processNumber: number }, h.ctx);
      await h.connector.updateProcess({ externalRef: 'ref-u', processNumber: number, closeCase: true, responsibilityCenterId: SEED.centers.commercial }, h.ctx);
      const stored = h.sandbox.state.cases.find((c) => c.Numero === number)!;
      expect(stored).toMatchObject({ CodigoCliente: '000012', Prioritario: true, DataProximoContato: '2031-02-03' });
      expect(stored.Pareceres.map((p) => p.ReferenciaExterna)).toEqual([fullCase.externalRef, 'ref-op']);
      expect(stored.Notificacoes).toHaveLength(1);
      expect(stored).toMatchObject({ Situacao: 'ENCERRADO', IdentificadorCentroResponsabilidade: SEED.centers.commercial });
    });
  });
});
