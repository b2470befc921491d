import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, SEED, startHarness, watchProcess, type Harness } from './harness.js';

watchProcess();

let refs = 0;
const ref = (prefix = 'int') => `${prefix}-${Date.now()}-${++refs}`;

function casePayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ClientCode: SEED.clients.padaria,
    ProductId: SEED.products.erp,
    CaseTypeId: SEED.caseTypes.support,
    Subject: 'Cliente sem acesso ao PDV',
    Opinion: 'Atendimento realizado pelo chat.',
    Close: false,
    NextContactDate: '2025-09-01',
    NextContactUserId: SEED.users.ana,
    Priority: true,
    ExternalRef: ref(),
    ...overrides,
  };
}

describe('soap-crm writes against the SOAP CRM peer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('creates a case with an 8-digit number that findCaseByExternalRef then finds', async () => {
    const payload = casePayload();
    expect(await h.connector.findCaseByExternalRef(payload.ExternalRef as string, h.ctx)).toBeNull();
    const number = await h.connector.createCase(payload, h.ctx);
    expect(number).toMatch(/^1\d{7}$/);
    expect(await h.connector.findCaseByExternalRef(payload.ExternalRef as string, h.ctx)).toBe(number);
    expect(h.peer.state.processes.get(number)).toMatchObject({ status: 'Open', nextContactDate: '2025-09-01', nextContactUserId: SEED.users.ana, priority: true });
    expect(await h.connector.getProcess(number, h.ctx)).toEqual({ number, status: 'Open', nextContactDate: '2025-09-01', nextContactUserId: SEED.users.ana });
  });

  it('creates a closed case when Close is true', async () => {
    const number = await h.connector.createCase(casePayload({ Close: true, Priority: false, NextContactUserId: undefined, NextContactDate: undefined }), h.ctx);
    expect(h.peer.state.processes.get(number)!.status).toBe('Closed');
  });

  it.each([
    ['ClientCode', { ClientCode: '999999' }, 'ClientCode: unknown client 999999'],
    ['ProductId', { ProductId: 'NOPE' }, 'ProductId: unknown product NOPE'],
    ['ProductId', { ProductId: SEED.inactiveProduct }, `ProductId: product ${SEED.inactiveProduct} is inactive`],
    ['CaseTypeId', { CaseTypeId: 'NOPE' }, 'CaseTypeId: unknown case type NOPE'],
    ['NextContactUserId', { NextContactUserId: 'NOPE' }, 'NextContactUserId: unknown user NOPE'],
  ])('refuses an invalid %s with a permanent SOAP_CLIENT_FAULT naming the field', async (_field, overrides, faultstring) => {
    const before = h.peer.state.processes.size;
    const err = await failure(h.connector.createCase(casePayload(overrides), h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_CLIENT_FAULT', kind: 'permanent', retryable: false });
    expect(err.message).toContain(faultstring);
    expect(h.peer.state.processes.size).toBe(before);
  });

  it('refuses a second case with the same external reference', async () => {
    const payload = casePayload();
    await h.connector.createCase(payload, h.ctx);
    const err = await failure(h.connector.createCase(payload, h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_CLIENT_FAULT', kind: 'permanent' });
    expect(err.message).toContain('ExternalRef: already used');
  });

  it('adds an opinion once: hasOpinion sees it by external reference', async () => {
    const externalRef = ref('opinion');
    expect(await h.connector.hasOpinion(SEED.existingProcess, externalRef, h.ctx)).toBe(false);
    await h.connector.addOpinion(SEED.existingProcess, { ProcessNumber: SEED.existingProcess, Text: 'O cliente confirmou a correção.', ExternalRef: externalRef }, h.ctx);
    expect(await h.connector.hasOpinion(SEED.existingProcess, externalRef, h.ctx)).toBe(true);
    expect(await h.connector.hasOpinion(SEED.existingProcess, SEED.existingOpinionRef, h.ctx)).toBe(true);
    expect(h.peer.state.processes.get(SEED.existingProcess)!.opinions.at(-1)).toMatchObject({ text: 'O cliente confirmou a correção.', externalRef });
  });

  it('refuses an opinion on an unknown process', async () => {
    const err = await failure(h.connector.addOpinion('99999999', { ProcessNumber: '99999999', Text: 'x', ExternalRef: ref() }, h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_CLIENT_FAULT', kind: 'permanent' });
    expect(err.message).toContain('ProcessNumber: unknown process 99999999');
    expect(await failure(h.connector.hasOpinion('99999999', 'x', h.ctx))).toMatchObject({ code: 'SOAP_CLIENT_FAULT' });
  });

  it('notifies SpySystem logins and e-mails (one login is still a list)', async () => {
    const externalRef = ref('notify');
    await h.connector.notify(SEED.existingProcess, { ProcessNumber: SEED.existingProcess, SpySystemLogin: ['bruno.lima'], Email: ['suporte@cliente.com.br', 'ti@cliente.com.br'], ExternalRef: externalRef }, h.ctx);
    expect(h.peer.state.processes.get(SEED.existingProcess)!.notifications.at(-1)).toMatchObject({
      spySystemLogins: ['bruno.lima'],
      emails: ['suporte@cliente.com.br', 'ti@cliente.com.br'],
      externalRef,
    });
  });

  it('refuses a notification to an unknown SpySystem login', async () => {
    const err = await failure(h.connector.notify(SEED.existingProcess, { ProcessNumber: SEED.existingProcess, SpySystemLogin: ['ghost'], ExternalRef: ref() }, h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_CLIENT_FAULT', kind: 'permanent' });
    expect(err.message).toContain('SpySystemLogin: unknown login ghost');
  });

  it('after a crash between storing the case and answering, the retry finds the case instead of creating it again', async () => {
    const payload = casePayload();
    h.peer.faults.inject({ operation: 'CreateCase', action: { type: 'crash-after-create' } });
    const err = await failure(h.connector.createCase(payload, h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_UNREACHABLE', kind: 'transient', retryable: true });
    // What the engine's retry does: look the external reference up first.
    const found = await h.connector.findCaseByExternalRef(payload.ExternalRef as string, h.ctx);
    expect(found).toMatch(/^1\d{7}$/);
    expect(h.peer.state.processByExternalRef(payload.ExternalRef as string)!.number).toBe(found);
  });
});
