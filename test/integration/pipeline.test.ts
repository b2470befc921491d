import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte, type Mode } from '../support/ponte.js';
import { integrationRequest, sandbox, session, SEED } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

const MAIN_MODES: Mode[] = ['embedded', 'redis'];

async function integration(p: Ponte, id: string) {
  const res = await p.app.inject({ method: 'GET', url: `/v1/integrations/${id}`, headers: auth('helpdesk') });
  return res.json();
}

async function settled(p: Ponte, id: string, status = 'succeeded') {
  return eventually(async () => {
    const i = await integration(p, id);
    return i.status === status ? i : undefined;
  }, `integration ${id} ${status}`);
}

async function postSession(p: Ponte, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return p.app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...auth('helpdesk'), ...headers }, payload: body });
}

describe.each(MAIN_MODES)('closed chat → ERP records, %s mode', (mode) => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte(mode, { env: { ...s.env, JOB_ATTEMPTS: '4' } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it('a finished session with two integrations (multiple) becomes two ERP cases', async () => {
    const body = session({
      integrations: [
        integrationRequest({ multiple: true, historyExcerpt: 'Cliente: a nota foi rejeitada.', notify: { spySystemLogins: ['ana.souza'], emails: ['gestor@empresa.com.br'] } }),
        integrationRequest({ multiple: true, closeCase: false, responsibilityCenterId: undefined, nextContact: { userId: SEED.users.bruno, date: '2030-01-10' }, priority: true, subject: 'Revisar certificado', standardOpinionId: undefined, opinion: 'Ligar para renovar.' }),
      ],
    });
    const res = await postSession(p, body);
    expect(res.statusCode).toBe(202);
    const { chatId, integrations } = res.json();
    expect(integrations).toHaveLength(2);
    const done = await Promise.all(integrations.map((i: { id: string }) => settled(p, i.id)));
    const numbers = done.map((i) => i.erpProcessNumber);
    expect(numbers.every((n: string) => /^\d{8}$/.test(n))).toBe(true);
    const cases = erp.state.cases.filter((c) => integrations.some((i: { id: string }) => i.id === c.ReferenciaExterna));
    expect(cases).toHaveLength(2);
    const [first, second] = integrations.map((i: { id: string }) => cases.find((c) => c.ReferenciaExterna === i.id)!);
    expect(first!.Situacao).toBe('ENCERRADO');
    // Multiple mode stops the transcript only: the advance opinion is still carried (seed 001).
    expect(first!.Pareceres[0]!.Texto).toBe('Cliente orientado pelo chat.\n\nCertificado A1 vencido.\n\nCliente: a nota foi rejeitada.');
    expect(second!.Pareceres[0]!.Texto).toBe('Certificado A1 vencido.\n\nLigar para renovar.');
    expect(first!.Notificacoes).toHaveLength(1);
    expect(second).toMatchObject({ Situacao: 'ABERTO', Prioritario: true, IdentificadorUsuarioProximoContato: SEED.users.bruno, DataProximoContato: '2030-01-10' });
    const listed = await p.app.inject({ method: 'GET', url: `/v1/chats/${chatId}/integrations`, headers: auth('helpdesk') });
    expect(listed.json().items.map((i: { status: string }) => i.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('without multiple, the opinion is the standard text, the advance opinion and the transcript', async () => {
    const res = await postSession(p, session());
    const [only] = res.json().integrations;
    const done = await settled(p, only.id);
    const erpCase = erp.state.cases.find((c) => c.Numero === done.erpProcessNumber)!;
    const text = erpCase.Pareceres[0]!.Texto;
    expect(text.startsWith('Cliente orientado pelo chat.\n\nCertificado A1 vencido.\n\n[20/11/2026 10:00] João Cliente: Mensagem 0')).toBe(true);
    expect(erpCase.PessoaContato).toBe('João Cliente');
  });

  it('the same externalId again returns the existing chat and creates nothing new', async () => {
    const body = session();
    const first = await postSession(p, body);
    const again = await postSession(p, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ chatId: first.json().chatId, created: false, integrations: [{ id: first.json().integrations[0].id }] });
    await settled(p, first.json().integrations[0].id);
    expect(erp.state.cases.filter((c) => c.ReferenciaExterna === first.json().integrations[0].id)).toHaveLength(1);
  });

  it('a repeat whose checks would fail now still answers the existing chat (200), not a 400', async () => {
    const body = session();
    const first = await postSession(p, body);
    expect(first.statusCode).toBe(202);
    const changed = { ...body, closedAt: '2000-01-01T00:00:00Z', integrations: [integrationRequest({ productId: 'NO-SUCH-PRODUCT' })] };
    const again = await postSession(p, changed);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ chatId: first.json().chatId, created: false, integrations: [{ id: first.json().integrations[0].id }] });
    const fresh = await postSession(p, { ...changed, externalId: `${body.externalId}-new` });
    expect(fresh.statusCode).toBe(400);
    expect(JSON.stringify(fresh.json())).toContain('closedAt');
  });

  it('posts of one externalId at the same time make one chat: the others answer it with 200', async () => {
    const body = session();
    const answers = await Promise.all(Array.from({ length: 5 }, () => postSession(p, body)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 202]);
    const chatIds = new Set(answers.map((a) => a.json().chatId));
    expect(chatIds.size).toBe(1);
    const integrationIds = new Set(answers.map((a) => a.json().integrations[0].id));
    expect(integrationIds.size).toBe(1);
    const { rows } = await p.deps.db.query('SELECT count(*)::int AS n FROM chats WHERE external_id = $1', [body.externalId]);
    expect(rows[0]!.n).toBe(1);
    const [id] = integrationIds;
    await settled(p, id as string);
    expect(erp.state.cases.filter((c) => c.ReferenciaExterna === id)).toHaveLength(1);
  });
});

describe('integration pipeline failures (redis)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox({ tokenTtlSeconds: 1 });
    erp = s.sandbox;
    p = await startPonte('redis', { env: { ...s.env, JOB_ATTEMPTS: '3' } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it('retries 5xx and time-outs with backoff, then succeeds', async () => {
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 1, action: { type: 'status', status: 503 } });
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 1, action: { type: 'delay', ms: 1500 } });
    const res = await postSession(p, session());
    const id = res.json().integrations[0].id;
    const done = await settled(p, id);
    expect(done.attempts).toBe(3);
    const detail = await p.deps.db.query('SELECT outcome, error_code FROM integration_attempts WHERE integration_id = $1 ORDER BY id', [id]);
    expect(detail.rows.map((r) => r.error_code)).toEqual(['ERP_UNAVAILABLE', 'ERP_TIMEOUT', null]);
    await eventually(async () => erp.state.cases.filter((c) => c.ReferenciaExterna === id).length === 1, 'exactly one case');
  });

  it('a permanent validation error fails at once, without retry', async () => {
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 1, action: { type: 'validation', field: 'Assunto', message: 'Assunto inválido' } });
    const res = await postSession(p, session());
    const failed = await settled(p, res.json().integrations[0].id, 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatchObject({ code: 'ERP_VALIDATION', retryable: false });
  });

  it('a transient error on every attempt ends dead', async () => {
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 3, action: { type: 'status', status: 502 } });
    const res = await postSession(p, session());
    const dead = await settled(p, res.json().integrations[0].id, 'dead');
    expect(dead.attempts).toBe(3);
    expect(dead.lastError).toMatchObject({ code: 'ERP_UNAVAILABLE', retryable: true });
  });

  it('survives token expiry mid-run (refresh, then retry once on T01)', async () => {
    const first = await postSession(p, session());
    await settled(p, first.json().integrations[0].id);
    await new Promise((r) => setTimeout(r, 1100));
    erp.faults.inject({ path: '/api/', times: 1, action: { type: 'token-expired' } });
    const second = await postSession(p, session());
    const done = await settled(p, second.json().integrations[0].id);
    expect(done.attempts).toBe(1);
    expect(erp.state.auth.grants.some((g) => g.grantType === 'refresh_token')).toBe(true);
  });

  it('a crash after the ERP created the record does not create a second one on retry', async () => {
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 1, action: { type: 'crash-after-create', then: 'reset' } });
    const res = await postSession(p, session());
    const id = res.json().integrations[0].id;
    const done = await settled(p, id);
    expect(done.attempts).toBe(2);
    expect(erp.state.cases.filter((c) => c.ReferenciaExterna === id)).toHaveLength(1);
    // The first run could not have created a case before it, so it asked for none; the retry asked first.
    const runs = await p.deps.db.query<{ exchanges: Array<{ operation: string }> }>('SELECT exchanges FROM integration_attempts WHERE integration_id = $1 ORDER BY id', [id]);
    const operations = runs.rows.map((r) => r.exchanges.map((x) => x.operation));
    expect(operations[0]).not.toContain('findCaseByExternalRef');
    expect(operations[0]).toContain('createCase');
    expect(operations[1]!.indexOf('findCaseByExternalRef')).toBeGreaterThanOrEqual(0);
    expect(operations[1]).not.toContain('createCase');
  });

  it('a failed notification is retried without recreating the record', async () => {
    erp.faults.inject({ method: 'POST', path: /\/notificacoes$/, times: 1, action: { type: 'status', status: 500 } });
    const res = await postSession(p, session({ integrations: [integrationRequest({ notify: { spySystemLogins: ['ana.souza'] } })] }));
    const id = res.json().integrations[0].id;
    const done = await settled(p, id);
    expect(done.attempts).toBe(2);
    expect(done.notifiedAt).not.toBeNull();
    const cases = erp.state.cases.filter((c) => c.ReferenciaExterna === id);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.Notificacoes).toHaveLength(1);
    const creates = erp.state.requests.filter((r) => r.method === 'POST' && r.url === '/api/crm/atendimentos');
    expect(creates.length).toBeGreaterThan(0);
  });

  it('honours Idempotency-Key: same body replays the answer, another body is 409', async () => {
    const body = session();
    const key = { 'idempotency-key': `k-${Date.now()}` };
    const a = await postSession(p, body, key);
    const b = await postSession(p, body, key);
    expect(b.statusCode).toBe(a.statusCode);
    expect(b.json()).toEqual(a.json());
    expect(b.headers['idempotent-replayed']).toBe('true');
    const c = await postSession(p, session(), key);
    expect(c.statusCode).toBe(409);
    expect(c.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
