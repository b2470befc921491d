import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { integrationRequest, session } from '../support/fixtures.js';
import { PEERS, type ErpPeer, type FaultKind } from '../support/erp-peers.js';

/**
 * The same integration cases, through the real queue, against every mapping set: the Bimer
 * sandbox and the SOAP CRM peer (built-in sets), a Bimer Core style REST ERP (the shipped
 * bimer-core set) and Sigma, a SOAP ERP with another WSDL (a set of its own in ERP_MAPPINGS_DIR).
 */
describe.each(Object.keys(PEERS) as Array<keyof typeof PEERS>)('integrations through the %s mapping set', (name) => {
  let p: Ponte;
  let erp: ErpPeer;

  beforeAll(async () => {
    erp = await PEERS[name]();
    p = await startPonte('redis', { env: { ...erp.env, JOB_ATTEMPTS: '3' } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  const request = (overrides: Record<string, unknown> = {}) =>
    integrationRequest({ clientCode: erp.seed.clientCode, productId: erp.seed.productId, caseTypeId: erp.seed.caseTypeId, standardOpinionId: erp.seed.standardOpinionId, responsibilityCenterId: erp.seed.centerId, ...overrides });

  async function post(overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session({ client: { name: 'João', email: 'joao@cliente.com.br', clientCode: erp.seed.clientCode }, integrations: [request(overrides)] }) });
    expect(res.statusCode).toBe(202);
    return res.json().integrations[0].id;
  }

  async function until(id: string, status: string) {
    return eventually(async () => {
      const i = (await p.app.inject({ method: 'GET', url: `/v1/integrations/${id}`, headers: auth('helpdesk') })).json();
      return i.status === status ? i : undefined;
    }, `${id} ${status}`);
  }

  const attemptCodes = async (id: string) =>
    (await p.deps.db.query('SELECT error_code FROM integration_attempts WHERE integration_id = $1 ORDER BY id', [id])).rows.map((r) => r.error_code);

  it('creates a closed case in the responsibility center, with the standard text, and notifies the recipients', async () => {
    const id = await post({ notify: { spySystemLogins: [erp.seed.spySystemLogin], emails: ['gestor@empresa.com.br'] } });
    const done = await until(id, 'succeeded');
    const erpCase = erp.cases().find((c) => c.externalRef === id)!;
    expect(erpCase).toMatchObject({ number: done.erpProcessNumber, closed: true, priority: false, responsibilityCenterId: erp.seed.centerId, notifications: 1 });
    expect(erpCase.opinions[0]!.startsWith(erp.seed.standardText)).toBe(true);
  });

  it('creates an open case: the ERP receives the next-contact user and date and the priority', async () => {
    const id = await post({ closeCase: false, responsibilityCenterId: undefined, nextContact: { userId: erp.seed.userId, date: '2031-05-06' }, priority: true });
    const done = await until(id, 'succeeded');
    expect(erp.process(done.erpProcessNumber)).toMatchObject({ closed: false, priority: true, nextContactUserId: erp.seed.userId, nextContactDate: '2031-05-06' });
    expect(erp.process(done.erpProcessNumber)!.responsibilityCenterId).toBeUndefined();
  });

  it('links the chat to an existing process: its opinion goes there, no new case, priority applied, next contact from the process', async () => {
    const before = erp.cases().length;
    const nextContact = { userId: erp.process(erp.seed.processNumber)!.nextContactUserId, date: erp.process(erp.seed.processNumber)!.nextContactDate?.slice(0, 10) };
    const id = await post({ processNumber: erp.seed.processNumber, closeCase: false, responsibilityCenterId: undefined, priority: true, notify: { spySystemLogins: [erp.seed.spySystemLogin] } });
    const done = await until(id, 'succeeded');
    expect(done.erpProcessNumber).toBe(erp.seed.processNumber);
    expect(erp.cases()).toHaveLength(before);
    const process = erp.process(erp.seed.processNumber)!;
    expect(process.opinions.at(-1)!.startsWith(erp.seed.standardText)).toBe(true);
    expect(process).toMatchObject({ closed: false, priority: true, nextContactUserId: nextContact.userId });
    expect(process.notifications).toBeGreaterThan(0);
  });

  it('links a chat that closes an existing process: the ERP receives the close and the responsibility center', async () => {
    const opened = await until(await post({ closeCase: false, responsibilityCenterId: undefined }), 'succeeded');
    const id = await post({ processNumber: opened.erpProcessNumber, closeCase: true, responsibilityCenterId: erp.seed.centerId, standardOpinionId: undefined, opinion: 'Resolvido na segunda conversa.' });
    await until(id, 'succeeded');
    expect(erp.process(opened.erpProcessNumber)).toMatchObject({ closed: true, responsibilityCenterId: erp.seed.centerId });
    expect(erp.process(opened.erpProcessNumber)!.opinions.at(-1)).toContain('Resolvido na segunda conversa.');
  });

  it('refuses an unknown process number at accept, naming processNumber', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session({ client: { name: 'João', email: 'joao@cliente.com.br', clientCode: erp.seed.clientCode }, integrations: [request({ processNumber: '99999999' })] }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual(['integrations[0].processNumber']);
  });

  const retried: Array<[FaultKind, Record<keyof typeof PEERS, string>]> = [
    ['transient', { bimer: 'ERP_UNAVAILABLE', 'soap-crm': 'SOAP_SERVER_FAULT', 'bimer-core': 'ERP_UNAVAILABLE', sigma: 'SOAP_SERVER_FAULT' }],
    ['timeout', { bimer: 'ERP_TIMEOUT', 'soap-crm': 'SOAP_TIMEOUT', 'bimer-core': 'ERP_TIMEOUT', sigma: 'SOAP_TIMEOUT' }],
    // The reply is lost after the ERP created the case: the retry finds it through the mapped find-by-reference.
    ['crash-after-create', { bimer: 'ERP_UNREACHABLE', 'soap-crm': 'SOAP_UNREACHABLE', 'bimer-core': 'ERP_UNREACHABLE', sigma: 'SOAP_UNREACHABLE' }],
    ['malformed', { bimer: 'ERP_UNAVAILABLE', 'soap-crm': 'SOAP_MALFORMED_RESPONSE', 'bimer-core': 'ERP_UNAVAILABLE', sigma: 'SOAP_MALFORMED_RESPONSE' }],
    ['html', { bimer: 'ERP_UNAVAILABLE', 'soap-crm': 'SOAP_BAD_RESPONSE', 'bimer-core': 'ERP_UNAVAILABLE', sigma: 'SOAP_BAD_RESPONSE' }],
  ];
  it.each(retried)('a %s answer on create is retried with a stable code, then one case exists', async (kind, codes) => {
    erp.fault(kind, 'createCase');
    const id = await post();
    await until(id, 'succeeded');
    expect((await attemptCodes(id))[0]).toBe(codes[name]);
    expect(erp.cases().filter((c) => c.externalRef === id)).toHaveLength(1);
  });

  it('a permanent error on create fails at once with a stable code and the ERP\'s message, and the worker goes on', async () => {
    erp.fault('permanent', 'createCase');
    const id = await post();
    const ended = await until(id, 'failed');
    expect(ended.attempts).toBe(1);
    // Sigma refuses inside its answer (Sucesso=false + Mensagem): a refusal, never a success.
    expect(ended.lastError).toMatchObject({ code: { bimer: 'ERP_VALIDATION', 'soap-crm': 'SOAP_CLIENT_FAULT', 'bimer-core': 'ERP_VALIDATION', sigma: 'ERP_REFUSED' }[name], retryable: false });
    expect(ended.lastError.message).toMatch({ bimer: /Assunto inválido/, 'soap-crm': /Subject is invalid/, 'bimer-core': /não aceito pelo ERP/, sigma: /o ERP recusou o atendimento/ }[name]);
    expect(erp.cases().filter((c) => c.externalRef === id)).toEqual([]);
    await until(await post(), 'succeeded');
  });

  it('a failed notification is retried without creating the case twice', async () => {
    erp.fault('transient', 'notify');
    const id = await post({ notify: { spySystemLogins: [erp.seed.spySystemLogin] } });
    const done = await until(id, 'succeeded');
    expect(done.attempts).toBe(2);
    const cases = erp.cases().filter((c) => c.externalRef === id);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.notifications).toBe(1);
  });
});

describe('SOAP answers that break the contract', () => {
  let p: Ponte;
  let erp: ErpPeer;
  beforeAll(async () => {
    erp = await PEERS['soap-crm']();
    p = await startPonte('redis', { env: { ...erp.env, JOB_ATTEMPTS: '3' } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it.each(['unknown-operation', 'wrong-namespace'] as FaultKind[])('%s fails with SOAP_CONTRACT_MISMATCH, and the worker goes on', async (kind) => {
    erp.fault(kind, 'createCase');
    const body = (n: string) => session({ externalId: n, client: { name: 'João', email: 'joao@cliente.com.br', clientCode: erp.seed.clientCode }, integrations: [integrationRequest({ clientCode: erp.seed.clientCode, productId: erp.seed.productId, caseTypeId: erp.seed.caseTypeId, standardOpinionId: erp.seed.standardOpinionId, responsibilityCenterId: erp.seed.centerId })] });
    const first = (await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body(`${kind}-1`) })).json().integrations[0].id;
    const failed = await eventually(async () => {
      const i = (await p.app.inject({ method: 'GET', url: `/v1/integrations/${first}`, headers: auth('helpdesk') })).json();
      return i.status === 'failed' ? i : undefined;
    }, 'failed');
    expect(failed.lastError).toMatchObject({ code: 'SOAP_CONTRACT_MISMATCH', retryable: false });
    const next = (await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body(`${kind}-2`) })).json().integrations[0].id;
    await eventually(async () => (await p.app.inject({ method: 'GET', url: `/v1/integrations/${next}`, headers: auth('helpdesk') })).json().status === 'succeeded', 'next succeeded');
  });
});
