import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseRecord, failure, SEED, startHarness, watchProcess, type Harness } from './harness.js';

watchProcess();

let refs = 0;
const ref = (prefix = 'int') => `${prefix}-${Date.now()}-${++refs}`;

describe('the soap-crm mapping set: writes against the SOAP CRM peer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('creates a case with an 8-digit number that findCaseByExternalRef then finds', async () => {
    const record = caseRecord();
    expect(await h.connector.findCaseByExternalRef(record.externalRef, h.ctx)).toBeNull();
    const number = await h.connector.createCase(record, h.ctx);
    expect(number).toMatch(/^1\d{7}$/);
    expect(await h.connector.findCaseByExternalRef(record.externalRef, h.ctx)).toBe(number);
    expect(h.peer.state.processes.get(number)).toMatchObject({ status: 'Open', nextContactDate: '2025-09-01', nextContactUserId: SEED.users.ana, priority: true });
    expect(await h.connector.getProcess(number, h.ctx)).toEqual({ number, status: 'Open', nextContactDate: '2025-09-01', nextContactUserId: SEED.users.ana });
  });

  it('creates a closed case when Close is true', async () => {
    const number = await h.connector.createCase(caseRecord({ closeCase: true, priority: false, nextContact: undefined }), h.ctx);
    expect(h.peer.state.processes.get(number)!.status).toBe('Closed');
  });

  it.each([
    ['ClientCode', { clientCode: '999999' }, 'ClientCode: unknown client 999999'],
    ['ProductId', { productId: 'NOPE' }, 'ProductId: unknown product NOPE'],
    ['ProductId', { productId: SEED.inactiveProduct }, `ProductId: product ${SEED.inactiveProduct} is inactive`],
    ['CaseTypeId', { caseTypeId: 'NOPE' }, 'CaseTypeId: unknown case type NOPE'],
    ['NextContactUserId', { nextContact: { userId: 'NOPE' } }, 'NextContactUserId: unknown user NOPE'],
  ])('refuses an invalid %s with a permanent SOAP_CLIENT_FAULT naming the field', async (_field, overrides, faultstring) => {
    const before = h.peer.state.processes.size;
    const err = await failure(h.connector.createCase(caseRecord(overrides), h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_CLIENT_FAULT', kind: 'permanent', retryable: false });
    expect(err.message).toContain(faultstring);
    expect(h.peer.state.processes.size).toBe(before);
  });

  it('refuses a second case with the same external reference', async () => {
    const record = caseRecord();
    await h.connector.createCase(record, h.ctx);
    const err = await failure(h.connector.createCase(record, h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_CLIENT_FAULT', kind: 'permanent' });
    expect(err.message).toContain('ExternalRef: already used');
  });

  it('adds an opinion once: hasOpinion sees it by external reference', async () => {
    const externalRef = ref('opinion');
    expect(await h.connector.hasOpinion(SEED.existingProcess, externalRef, h.ctx)).toBe(false);
    await h.connector.addOpinion({ processNumber: SEED.existingProcess, text: 'O cliente confirmou a correção.', externalRef }, h.ctx);
    expect(await h.connector.hasOpinion(SEED.existingProcess, externalRef, h.ctx)).toBe(true);
    expect(await h.connector.hasOpinion(SEED.existingProcess, SEED.existingOpinionRef, h.ctx)).toBe(true);
    expect(h.peer.state.processes.get(SEED.existingProcess)!.opinions.at(-1)).toMatchObject({ text: 'O cliente confirmou a correção.', externalRef });
  });

  it('refuses an opinion on an unknown process', async () => {
    const err = await failure(h.connector.addOpinion({ processNumber: '99999999', text: 'x', externalRef: ref() }, h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_CLIENT_FAULT', kind: 'permanent' });
    expect(err.message).toContain('ProcessNumber: unknown process 99999999');
    expect(await failure(h.connector.hasOpinion('99999999', 'x', h.ctx))).toMatchObject({ code: 'SOAP_CLIENT_FAULT' });
  });

  it('updates an existing process (close, center, next contact, priority) and records what it received', async () => {
    const number = await h.connector.createCase(caseRecord(), h.ctx);
    await h.connector.updateProcess({ processNumber: number, closeCase: true, responsibilityCenterId: SEED.responsibilityCenters.commercial, priority: false, externalRef: 'upd-1' }, h.ctx);
    expect(h.peer.state.processes.get(number)).toMatchObject({ status: 'Closed', responsibilityCenterId: SEED.responsibilityCenters.commercial, priority: false });
    expect(h.peer.state.processes.get(number)!.updates).toEqual([expect.objectContaining({ externalRef: 'upd-1', close: true, priority: false })]);
    const err = await failure(h.connector.updateProcess({ processNumber: '99999999', externalRef: 'upd-2' }, h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_CLIENT_FAULT', kind: 'permanent' });
  });

  it('finds a notification on a process by its external reference', async () => {
    const externalRef = ref('notify');
    expect(await h.connector.findNotification(SEED.existingProcess, externalRef, h.ctx)).toBe(false);
    await h.connector.notify({ processNumber: SEED.existingProcess, spySystemLogins: ['ana.souza'], emails: [], externalRef }, h.ctx);
    expect(await h.connector.findNotification(SEED.existingProcess, externalRef, h.ctx)).toBe(true);
  });

  it('notifies SpySystem logins and e-mails (one login is still a list)', async () => {
    const externalRef = ref('notify');
    await h.connector.notify({ processNumber: SEED.existingProcess, spySystemLogins: ['bruno.lima'], emails: ['suporte@cliente.com.br', 'ti@cliente.com.br'], externalRef }, h.ctx);
    expect(h.peer.state.processes.get(SEED.existingProcess)!.notifications.at(-1)).toMatchObject({
      spySystemLogins: ['bruno.lima'],
      emails: ['suporte@cliente.com.br', 'ti@cliente.com.br'],
      externalRef,
    });
  });

  it('refuses a notification to an unknown SpySystem login', async () => {
    const err = await failure(h.connector.notify({ processNumber: SEED.existingProcess, spySystemLogins: ['ghost'], emails: [], externalRef: ref() }, h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_CLIENT_FAULT', kind: 'permanent' });
    expect(err.message).toContain('SpySystemLogin: unknown login ghost');
  });

  it('after a crash between storing the case and answering, the retry finds the case instead of creating it again', async () => {
    const record = caseRecord();
    h.peer.faults.inject({ operation: 'CreateCase', action: { type: 'crash-after-create' } });
    const err = await failure(h.connector.createCase(record, h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_UNREACHABLE', kind: 'transient', retryable: true });
    // What the engine's retry does: look the external reference up first.
    const found = await h.connector.findCaseByExternalRef(record.externalRef, h.ctx);
    expect(found).toMatch(/^1\d{7}$/);
    expect(h.peer.state.processByExternalRef(record.externalRef)!.number).toBe(found);
  });
});
