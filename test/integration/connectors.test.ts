import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { integrationRequest, session } from '../support/fixtures.js';
import { PEERS, type ErpPeer, type FaultKind } from '../support/erp-peers.js';

/** The same integration cases, through the real queue, against the REST and the SOAP connector. */
describe.each(Object.keys(PEERS) as Array<keyof typeof PEERS>)('integrations through the %s connector', (name) => {
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

  it('creates the case with the standard text and notifies the recipients', async () => {
    const id = await post({ notify: { spySystemLogins: ['ana.souza'], emails: ['gestor@empresa.com.br'] } });
    const done = await until(id, 'succeeded');
    const erpCase = erp.cases().find((c) => c.externalRef === id)!;
    expect(erpCase.number).toBe(done.erpProcessNumber);
    expect(erpCase.notifications).toBe(1);
  });

  it('links the chat to an existing process: its opinion goes there, no new case, next contact from the process', async () => {
    const before = erp.cases().length;
    const id = await post({ processNumber: erp.seed.processNumber, closeCase: false, responsibilityCenterId: undefined, priority: true, notify: { spySystemLogins: ['ana.souza'] } });
    const done = await until(id, 'succeeded');
    expect(done.erpProcessNumber).toBe(erp.seed.processNumber);
    expect(erp.cases()).toHaveLength(before);
    const process = erp.cases().find((c) => c.number === erp.seed.processNumber)!;
    expect(process.opinions.at(-1)!.startsWith(erp.seed.standardText)).toBe(true);
    expect(process.notifications).toBeGreaterThan(0);
  });

  it('fails an unknown process number with UNKNOWN_PROCESS', async () => {
    const id = await post({ processNumber: '99999999' });
    expect((await until(id, 'failed')).lastError.code).toBe('UNKNOWN_PROCESS');
  });

  const retried: Array<[FaultKind, Record<string, string>]> = [
    ['transient', { bimer: 'ERP_UNAVAILABLE', 'soap-crm': 'SOAP_SERVER_FAULT' }],
    ['timeout', { bimer: 'ERP_TIMEOUT', 'soap-crm': 'SOAP_TIMEOUT' }],
    ['crash-after-create', { bimer: 'ERP_UNREACHABLE', 'soap-crm': 'SOAP_UNREACHABLE' }],
    ['malformed', { bimer: 'ERP_UNAVAILABLE', 'soap-crm': 'SOAP_MALFORMED_RESPONSE' }],
    ['html', { bimer: 'ERP_UNAVAILABLE', 'soap-crm': 'SOAP_BAD_RESPONSE' }],
  ];
  it.each(retried)('a %s answer on create is retried with a stable code, then one case exists', async (kind, codes) => {
    erp.fault(kind, 'createCase');
    const id = await post();
    await until(id, 'succeeded');
    expect((await attemptCodes(id))[0]).toBe(codes[name]);
    expect(erp.cases().filter((c) => c.externalRef === id)).toHaveLength(1);
  });

  it('a permanent error on create fails at once with a stable code, and the worker goes on', async () => {
    erp.fault('permanent', 'createCase');
    const id = await post();
    const ended = await until(id, 'failed');
    expect(ended.attempts).toBe(1);
    expect(ended.lastError.code).toBe({ bimer: 'ERP_VALIDATION', 'soap-crm': 'SOAP_CLIENT_FAULT' }[name]);
    await until(await post(), 'succeeded');
  });

  it('a failed notification is retried without creating the case twice', async () => {
    erp.fault('transient', 'notify');
    const id = await post({ notify: { spySystemLogins: ['ana.souza'] } });
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
