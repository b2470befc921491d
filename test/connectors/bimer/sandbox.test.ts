// The sandbox itself, through app.inject(): it must refuse what a real Bimer refuses, or the
// connector's tests against it prove nothing.

import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildBimerSandbox, SANDBOX_CREDENTIALS, SEED, type SandboxState } from '../../../connectors/bimer/sandbox/server.js';
import type { Faults } from '../../../connectors/bimer/sandbox/faults.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const { clientId, clientSecret, username, password } = SANDBOX_CREDENTIALS;

function passwordForm(overrides: Record<string, string> = {}): Record<string, string> {
  const nonce = overrides.nonce ?? randomBytes(8).toString('hex');
  return { grant_type: 'password', client_id: clientId, client_secret: clientSecret, username, nonce, password: md5(username + nonce + password), ...overrides };
}

describe('bimer sandbox', () => {
  let app: FastifyInstance;
  let state: SandboxState;
  let faults: Faults;
  beforeEach(() => {
    ({ app, state, faults } = buildBimerSandbox());
  });
  afterEach(() => app.close());

  const token = (form: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() });
  const signIn = async () => `Bearer ${(await token(passwordForm())).json().access_token}`;

  describe('OAuth', () => {
    it('issues a token for md5(username + nonce + password) and refuses the plain password', async () => {
      const ok = await token(passwordForm());
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ token_type: 'bearer', expires_in: 3600, access_token: expect.any(String), refresh_token: expect.any(String) });
      const plain = await token(passwordForm({ password }));
      expect(plain.statusCode).toBe(400);
      expect(plain.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it('refuses a reused nonce, a wrong client secret and an unknown grant type', async () => {
      const form = passwordForm();
      expect((await token(form)).statusCode).toBe(200);
      expect((await token(form)).json()).toMatchObject({ error: 'invalid_grant', error_description: 'nonce já utilizado' });
      expect((await token(passwordForm({ client_secret: 'nope' }))).statusCode).toBe(401);
      expect((await token({ grant_type: 'client_credentials' })).json()).toMatchObject({ error: 'unsupported_grant_type' });
    });

    it('rotates refresh tokens: each is good once', async () => {
      const first = (await token(passwordForm())).json();
      const refreshed = await token({ grant_type: 'refresh_token', client_id: clientId, refresh_token: first.refresh_token });
      expect(refreshed.statusCode).toBe(200);
      expect((await token({ grant_type: 'refresh_token', client_id: clientId, refresh_token: first.refresh_token })).json()).toMatchObject({ error: 'invalid_grant' });
      expect(state.auth.grants.map((g) => g.grantType)).toEqual(['password', 'refresh_token']);
    });

    it('answers /api without a valid bearer with 401 and T01', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/crm/produtos', headers: { authorization: 'Bearer made-up' } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ Erros: [{ ErrorCode: 'T01' }], ListaObjetos: [] });
    });
  });

  describe('CRM contract', () => {
    const create = async (body: unknown) =>
      app.inject({ method: 'POST', url: '/api/crm/atendimentos', headers: { authorization: await signIn(), 'content-type': 'application/json' }, payload: JSON.stringify(body) });

    it('numbers created cases from 10000003 (after the seeded 10000001 and 10000002)', async () => {
      const res = await create({
        CodigoCliente: SEED.clients.company,
        IdentificadorProduto: SEED.products.erp,
        IdentificadorTipoAtendimento: SEED.caseTypes.support,
        Assunto: 'Teste',
        Parecer: 'Parecer',
        Encerrar: true,
        Prioritario: false,
        ReferenciaExterna: 'r-1',
      });
      expect(res.json()).toEqual({ Erros: [], ListaObjetos: ['10000003'] });
      expect(state.cases.at(-1)).toMatchObject({ Numero: '10000003', Situacao: 'ENCERRADO', ReferenciaExterna: 'r-1' });
    });

    it('refuses missing, unknown and unexpected fields with -1 naming each field', async () => {
      const res = await create({ CodigoCliente: '000999', IdentificadorProduto: 'XXXXXXXXXX', IdentificadorTipoAtendimento: SEED.caseTypes.support, Encerrar: false, Prioritario: false, Extra: 1 });
      expect(res.statusCode).toBe(400);
      const causes = res.json().Erros.map((e: { ErrorCode: string; PossibleCause: string }) => `${e.ErrorCode} ${e.PossibleCause}`);
      expect(causes).toEqual(
        expect.arrayContaining([
          '-1 Extra: campo desconhecido',
          '-1 CodigoCliente: cliente 000999 não cadastrado',
          '-1 IdentificadorProduto: produto XXXXXXXXXX não cadastrado',
          '-1 Assunto: campo obrigatório',
          '-1 Parecer: campo obrigatório',
          '-1 ReferenciaExterna: campo obrigatório',
        ]),
      );
    });

    it('answers an unknown person with 400 C01, an unreadable body with 500 -1, an unknown path with a non-envelope 404', async () => {
      const authorization = await signIn();
      const unknown = await app.inject({ method: 'GET', url: '/api/pessoas/codigo/000999', headers: { authorization } });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().Erros[0].ErrorCode).toBe('C01');
      const broken = await app.inject({ method: 'POST', url: '/api/crm/atendimentos', headers: { authorization, 'content-type': 'application/json' }, payload: '{"Assunto":' });
      expect(broken.statusCode).toBe(500);
      expect(broken.json().Erros[0].ErrorCode).toBe('-1');
      const missing = await app.inject({ method: 'GET', url: '/api/nada', headers: { authorization } });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).not.toHaveProperty('Erros');
    });

    it('refuses to list cases without a filter', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/crm/atendimentos', headers: { authorization: await signIn() } });
      expect(res.json().Erros[0]).toMatchObject({ ErrorCode: '-1' });
    });

    it('finds a person by tax id', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/pessoas?cpfCnpj=529.982.247-25', headers: { authorization: await signIn() } });
      expect(res.json().ListaObjetos).toEqual([expect.objectContaining({ Codigo: SEED.clients.person })]);
    });
  });

  describe('test endpoints', () => {
    it('shows its state without tokens or secrets', async () => {
      await signIn();
      const res = await app.inject({ method: 'GET', url: '/__sandbox/state' });
      const body = res.json();
      expect(body.cases.map((c: { Numero: string }) => c.Numero)).toEqual([SEED.openProcess, SEED.closedProcess]);
      expect(body.auth).toMatchObject({ grants: [expect.objectContaining({ grantType: 'password' })], activeTokens: 1 });
      expect(res.body).not.toContain(clientSecret);
      expect(res.body).not.toContain(password);
      for (const t of state.auth.issued) expect(res.body).not.toContain(t);
    });

    it('injects a fault over HTTP for the next N matching requests, and clears it', async () => {
      const authorization = await signIn();
      const inject = await app.inject({ method: 'POST', url: '/__sandbox/faults', payload: { method: 'GET', pathRegex: '^/api/crm/usu', times: 2, action: { type: 'rate-limit', retryAfterSeconds: 3 } } });
      expect(inject.statusCode).toBe(204);
      const users = () => app.inject({ method: 'GET', url: '/api/crm/usuarios', headers: { authorization } });
      const first = await users();
      expect(first.statusCode).toBe(429);
      expect(first.headers['retry-after']).toBe('3');
      expect((await app.inject({ method: 'GET', url: '/api/crm/produtos', headers: { authorization } })).statusCode).toBe(200);
      expect(faults.pending()).toEqual([expect.objectContaining({ times: 1 })]);
      await app.inject({ method: 'DELETE', url: '/__sandbox/faults' });
      expect((await users()).statusCode).toBe(200);
    });

    it('refuses a fault without action or path', async () => {
      expect((await app.inject({ method: 'POST', url: '/__sandbox/faults', payload: { path: '/api' } })).statusCode).toBe(400);
    });
  });
});
