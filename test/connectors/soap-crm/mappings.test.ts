import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITE_CALLS, type CaseRecord, type NotifyRecord, type OpinionRecord, type WriteCall, type WriteRecords } from '../../../src/connectors/contract.js';
import { SEED, startHarness, watchProcess, type Harness } from './harness.js';

watchProcess();

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const fullCase: CaseRecord = {
  externalRef: '01J9ZK3Q4W8Y2V6X0B1C2D3E4F',
  clientCode: '12',
  processNumber: SEED.existingProcess,
  productId: SEED.products.pdv,
  caseTypeId: SEED.caseTypes.support,
  subject: 'Impressora fiscal não responde',
  opinion: 'Atendimento realizado pelo chat.\n\nCliente: a impressora parou.',
  contactPerson: 'Maria',
  closeCase: false,
  responsibilityCenterId: SEED.responsibilityCenters.support,
  nextContact: { userId: SEED.users.ana, date: '2025-09-15' },
  priority: true,
};
const minimalCase: CaseRecord = { externalRef: 'int-min', clientCode: '000027', productId: SEED.products.erp, caseTypeId: SEED.caseTypes.commercial, subject: 'Dúvida', opinion: 'Resolvido.', closeCase: true, priority: false };

describe('the soap-crm mapping set: write mappings produce payloads valid against their schemas', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  /** What the set sends for a record, and whether its payload schema holds: its dry run. */
  const load = (op: WriteCall) => async (record: WriteRecords[WriteCall]) => {
    const { request, problems } = await h.connector.dryRun(op, record as WriteRecords[typeof op]);
    return { payload: request.payload as Record<string, unknown>, valid: problems.length === 0, errors: problems };
  };

  it('has a payload schema for every write call, closed to unknown fields', async () => {
    for (const op of WRITE_CALLS) {
      const schema = JSON.parse(await readFile(path.join(ROOT, 'mappings/soap-crm/payloads', `${op}.json`), 'utf8'));
      expect(schema.additionalProperties).toBe(false);
    }
  });

  it('maps a full case, zero-padding the client code, in WSDL order', async () => {
    const { payload, valid, errors } = await (await load('createCase'))(fullCase);
    expect(errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(payload).toEqual({
      ClientCode: '000012',
      ProductId: SEED.products.pdv,
      CaseTypeId: SEED.caseTypes.support,
      Subject: fullCase.subject,
      Opinion: fullCase.opinion,
      ContactPerson: 'Maria',
      Close: false,
      ResponsibilityCenterId: SEED.responsibilityCenters.support,
      NextContactDate: '2025-09-15',
      NextContactUserId: SEED.users.ana,
      Priority: true,
      ExternalRef: fullCase.externalRef,
    });
    // Strict services want the WSDL sequence; the connector reorders anyway, the mapping starts right.
    expect(Object.keys(payload)).toEqual(['ClientCode', 'ProductId', 'CaseTypeId', 'Subject', 'Opinion', 'ContactPerson', 'Close', 'ResponsibilityCenterId', 'NextContactDate', 'NextContactUserId', 'Priority', 'ExternalRef']);
  });

  it('leaves absent and blank optional fields out of a minimal case', async () => {
    const map = await load('createCase');
    const { payload, valid } = await map({ ...minimalCase, contactPerson: '  ', nextContact: { date: '2025-10-01' } });
    expect(valid).toBe(true);
    expect(payload).not.toHaveProperty('ContactPerson');
    expect(payload).not.toHaveProperty('ResponsibilityCenterId');
    expect(payload).not.toHaveProperty('NextContactUserId');
    expect(payload.NextContactDate).toBe('2025-10-01');
  });

  it('a case without opinion text fails its schema (before any SOAP call)', async () => {
    const { valid, errors } = await (await load('createCase'))({ ...minimalCase, opinion: '' });
    expect(valid).toBe(false);
    expect(errors[0]).toMatchObject({ path: 'Opinion' });
  });

  it('maps an opinion', async () => {
    const record: OpinionRecord = { externalRef: 'int-op', processNumber: SEED.existingProcess, text: 'Cliente respondeu: funcionou.' };
    const { payload, valid } = await (await load('addOpinion'))(record);
    expect(valid).toBe(true);
    expect(payload).toEqual({ ProcessNumber: SEED.existingProcess, Text: record.text, ExternalRef: 'int-op' });
  });

  it('maps a notification: repeated elements, an empty list left out, at least one recipient required', async () => {
    const map = await load('notify');
    const record: NotifyRecord = { externalRef: 'int-n', processNumber: SEED.existingProcess, spySystemLogins: ['ana.souza'], emails: [] };
    const { payload, valid } = await map(record);
    expect(valid).toBe(true);
    expect(payload).toEqual({ ProcessNumber: SEED.existingProcess, SpySystemLogin: ['ana.souza'], ExternalRef: 'int-n' });
    expect((await map({ ...record, emails: ['a@b.com.br', 'c@d.com.br'] })).payload.Email).toEqual(['a@b.com.br', 'c@d.com.br']);
    expect((await map({ ...record, spySystemLogins: [] })).valid).toBe(false);
    expect((await map({ ...record, emails: ['not-an-email'] })).valid).toBe(false);
  });

  it('mapped payloads are accepted by the SOAP service', async () => {
    const created = await h.connector.createCase(fullCase, h.ctx);
    expect(h.peer.state.processes.get(created)).toMatchObject({ clientCode: '000012', contactPerson: 'Maria', responsibilityCenterId: SEED.responsibilityCenters.support });
    await h.connector.createCase(minimalCase, h.ctx);
    await h.connector.addOpinion({ externalRef: 'int-op2', processNumber: created, text: 'Mais um parecer.' }, h.ctx);
    await h.connector.notify({ externalRef: 'int-n2', processNumber: created, spySystemLogins: ['bruno.lima'], emails: ['ti@cliente.com.br'] }, h.ctx);
    expect(h.peer.state.processes.get(created)!.notifications).toEqual([expect.objectContaining({ spySystemLogins: ['bruno.lima'], emails: ['ti@cliente.com.br'] })]);
  });
});
