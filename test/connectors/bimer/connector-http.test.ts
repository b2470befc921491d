// The bimer mapping set against a scripted HTTP peer (nock): the exact token form, the md5
// proof, refresh timing with an injected clock, and how envelopes are read.

import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { createHash } from 'node:crypto';
import nock from 'nock';
import type { CaseRecord } from '../../../src/connectors/contract.js';
import { connect, failure } from '../connect.js';

const URL_ = 'http://bimer.test';
const CREDENTIALS = { clientId: 'cli', clientSecret: 'shh-client-secret', username: 'ponte', password: 'Plain-Passw0rd' };
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const CLIENT = { Identificador: '00A0000001', Codigo: '000012', Nome: 'Padaria', NomeCurto: 'Pão', CpfCnpj: '11222333000181' };

type Form = Record<string, string>;
const asForm = (body: unknown): Form => (typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : (body as Form));

/** Token endpoint that records each form and answers with the given tokens in turn. */
function tokenEndpoint(answers: Array<Record<string, unknown>>): Form[] {
  const forms: Form[] = [];
  for (const answer of answers) {
    // Recorded when answered: nock may test a body matcher against a request more than once.
    nock(URL_)
      .post('/oauth/token')
      .matchHeader('content-type', /application\/x-www-form-urlencoded/)
      .reply(200, async (request: Request) => {
        forms.push(asForm(await request.text()));
        return answer;
      });
  }
  return forms;
}

function connector(now?: () => number) {
  const env = { BIMER_URL: URL_, BIMER_TIMEOUT_MS: '2000', BIMER_CLIENT_ID: CREDENTIALS.clientId, BIMER_CLIENT_SECRET: CREDENTIALS.clientSecret, BIMER_USERNAME: CREDENTIALS.username, BIMER_PASSWORD: CREDENTIALS.password };
  return connect('bimer', env, { now });
}

const aCase: CaseRecord = { externalRef: 'ref-1', clientCode: '12', productId: '00A0000011', caseTypeId: '00A0000021', subject: 'x', opinion: 'y', closeCase: true, priority: false };

describe('the bimer mapping set over HTTP (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('signs in with the password grant and md5(username + nonce + password), then sends the bearer', async () => {
    const forms = tokenEndpoint([{ access_token: 'AT-1', token_type: 'bearer', expires_in: 3600, refresh_token: 'RT-1' }]);
    nock(URL_).get('/api/pessoas/codigo/000012').matchHeader('authorization', 'Bearer AT-1').reply(200, { Erros: [], ListaObjetos: [CLIENT] });

    expect(await (await connector()).getClient('12')).toEqual({ code: '000012', id: '00A0000001', companyName: 'Padaria', shortName: 'Pão', taxId: '11222333000181' });
    const [form] = forms;
    expect(form).toMatchObject({ grant_type: 'password', client_id: 'cli', client_secret: 'shh-client-secret', username: 'ponte' });
    expect(form!.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(form!.password).toBe(md5(`ponte${form!.nonce}Plain-Passw0rd`));
    expect(form!.password).toMatch(/^[0-9a-f]{32}$/);
  });

  it('uses a fresh nonce for every sign-in and retries a call once with a new token after a 401', async () => {
    // No refresh_token in the answers: each new token is a full sign-in.
    const forms = tokenEndpoint([{ access_token: 'AT-1', expires_in: 3600 }, { access_token: 'AT-2', expires_in: 3600 }]);
    nock(URL_).get('/api/crm/produtos').matchHeader('authorization', 'Bearer AT-1').reply(401, 'Unauthorized');
    nock(URL_).get('/api/crm/produtos').matchHeader('authorization', 'Bearer AT-2').reply(200, { Erros: [], ListaObjetos: [{ Identificador: '00A0000011', Nome: 'ERP', Ativo: 'S' }] });

    expect(await (await connector()).listProducts()).toEqual([{ id: '00A0000011', name: 'ERP', active: true }]);
    expect(forms).toHaveLength(2);
    expect(forms[0]!.nonce).not.toBe(forms[1]!.nonce);
    expect(forms[1]!.password).toBe(md5(`ponte${forms[1]!.nonce}Plain-Passw0rd`));
  });

  it('retries only once: a second 401 with a fresh token is ERP_AUTH_REJECTED (permanent)', async () => {
    tokenEndpoint([{ access_token: 'AT-1', expires_in: 3600 }, { access_token: 'AT-2', expires_in: 3600 }]);
    const calls = nock(URL_).get('/api/crm/usuarios').times(2).reply(401, 'Unauthorized');
    const error = await failure((await connector()).listUsers());
    expect(error).toMatchObject({ kind: 'permanent', code: 'ERP_AUTH_REJECTED' });
    expect(calls.isDone()).toBe(true);
  });

  it('refreshes with grant_type=refresh_token before expires_in runs out (injected clock)', async () => {
    let now = 1_700_000_000_000;
    const forms = tokenEndpoint([
      { access_token: 'AT-1', expires_in: 3600, refresh_token: 'RT-1' },
      { access_token: 'AT-2', expires_in: 3600, refresh_token: 'RT-2' },
    ]);
    nock(URL_).get('/api/crm/centrosresponsabilidade').times(2).matchHeader('authorization', 'Bearer AT-1').reply(200, { Erros: [], ListaObjetos: [] });
    nock(URL_).get('/api/crm/centrosresponsabilidade').matchHeader('authorization', 'Bearer AT-2').reply(200, { Erros: [], ListaObjetos: [] });
    const c = await connector(() => now);

    await c.listResponsibilityCenters();
    now += 3000_000; // still well inside the hour: same token
    await c.listResponsibilityCenters();
    now += 590_000; // 10 s before expiry, inside the 30 s margin
    await c.listResponsibilityCenters();

    expect(forms.map((f) => f.grant_type)).toEqual(['password', 'refresh_token']);
    expect(forms[1]).toEqual({ grant_type: 'refresh_token', client_id: 'cli', refresh_token: 'RT-1' });
  });

  it('signs in again when the refresh token is refused', async () => {
    let now = 0;
    nock(URL_).post('/oauth/token').reply(200, { access_token: 'AT-1', expires_in: 60, refresh_token: 'RT-1' });
    nock(URL_).post('/oauth/token', (b) => asForm(b).grant_type === 'refresh_token').reply(400, { error: 'invalid_grant' });
    nock(URL_).post('/oauth/token', (b) => asForm(b).grant_type === 'password').reply(200, { access_token: 'AT-2', expires_in: 60 });
    nock(URL_).get('/api/crm/atendimentos/10000001').matchHeader('authorization', 'Bearer AT-1').reply(200, { Erros: [], ListaObjetos: [{ Numero: '10000001', Situacao: 'ABERTO' }] });
    nock(URL_).get('/api/crm/atendimentos/10000001').matchHeader('authorization', 'Bearer AT-2').reply(200, { Erros: [], ListaObjetos: [{ Numero: '10000001', Situacao: 'ABERTO' }] });
    const c = await connector(() => now);
    await c.getProcess('10000001');
    now += 61_000;
    expect(await c.getProcess('10000001')).toMatchObject({ number: '10000001', status: 'ABERTO' });
  });

  it('shares one token request between concurrent calls', async () => {
    const forms: Form[] = [];
    nock(URL_)
      .post('/oauth/token', (b) => Boolean(forms.push(asForm(b))))
      .delay(50)
      .reply(200, { access_token: 'AT-1', expires_in: 3600 });
    nock(URL_).get('/api/crm/tiposatendimento').times(5).matchHeader('authorization', 'Bearer AT-1').reply(200, { Erros: [], ListaObjetos: [] });
    const c = await connector();
    await Promise.all(Array.from({ length: 5 }, () => c.listCaseTypes()));
    expect(forms).toHaveLength(1);
  });

  describe('envelope', () => {
    const signedIn = () => tokenEndpoint([{ access_token: 'AT-1', expires_in: 3600 }]);

    it('returns the bare string of ListaObjetos as the new process number', async () => {
      signedIn();
      nock(URL_).post('/api/crm/atendimentos', (body) => body.Assunto === 'x' && body.CodigoCliente === '000012').reply(201, { Erros: null, ListaObjetos: ['10000042'] });
      expect(await (await connector()).createCase(aCase)).toBe('10000042');
    });

    it('reads C01 as "no such client" (null) and T01 on a 200 as a reason to retry with a new token', async () => {
      tokenEndpoint([{ access_token: 'AT-1', expires_in: 3600 }, { access_token: 'AT-2', expires_in: 3600 }]);
      nock(URL_).get('/api/pessoas/codigo/000099').reply(200, { Erros: [{ ErrorCode: 'T01', ErrorMessage: 'Token expirado' }], ListaObjetos: [] });
      nock(URL_).get('/api/pessoas/codigo/000099').matchHeader('authorization', 'Bearer AT-2').reply(400, { Erros: [{ ErrorCode: 'C01', ErrorMessage: 'Pessoa não encontrada' }], ListaObjetos: [] });
      expect(await (await connector()).getClient('000099')).toBeNull();
    });

    it('treats a 500 carrying ErrorCode -1 as permanent ERP_VALIDATION naming the field', async () => {
      signedIn();
      nock(URL_)
        .post('/api/crm/atendimentos/10000001/pareceres')
        .reply(500, { Erros: [{ ErrorCode: '-1', ErrorMessage: 'Dados inválidos', PossibleCause: 'Texto: campo obrigatório' }], ListaObjetos: [] });
      const error = await failure((await connector()).addOpinion({ processNumber: '10000001', text: 'y', externalRef: 'r' }));
      expect(error).toMatchObject({ kind: 'permanent', code: 'ERP_VALIDATION' });
      expect(error.details[0]).toMatchObject({ path: 'Texto' });
    });

    it('fails a create answered without a number as a permanent CONNECTOR_CONTRACT_MISMATCH (a replay finds the case by reference)', async () => {
      signedIn();
      nock(URL_).post('/api/crm/atendimentos').reply(200, { Erros: [], ListaObjetos: [] });
      const error = await failure((await connector()).createCase(aCase));
      expect(error).toMatchObject({ kind: 'permanent', code: 'CONNECTOR_CONTRACT_MISMATCH' });
      expect(error.message).toContain('createCase');
    });

    it('fails a row without its required fields as CONNECTOR_CONTRACT_MISMATCH naming the path and quoting the row', async () => {
      signedIn();
      nock(URL_).get('/api/crm/usuarios').reply(200, { Erros: [], ListaObjetos: [{ Identificador: '00A0000041', Nome: 'Ana' }, { Nome: 'sem identificador' }] });
      const error = await failure((await connector()).listUsers());
      expect(error).toMatchObject({ kind: 'permanent', code: 'CONNECTOR_CONTRACT_MISMATCH' });
      expect(error.message).toContain('listUsers');
      expect(error.details[0]).toMatchObject({ call: 'listUsers', path: '$[1].id', message: 'is required', got: '{"Nome":"sem identificador"}' });
    });
  });
});
