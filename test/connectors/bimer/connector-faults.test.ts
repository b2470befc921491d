// The connector against the sandbox's injected faults: each failure the ERP (or what stands in
// front of it) produces ends as the right ConnectorError, writes stay idempotent, traces hold no secret.

import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { createHash } from 'node:crypto';
import { SANDBOX_CREDENTIALS, SEED, startBimerSandbox } from '../../../connectors/bimer/sandbox/server.js';
import type { CaseRecord } from '../../../src/connectors/contract.js';
import { connect } from '../connect.js';
import { bimerEnv, failure, startHarness, type Harness } from './harness.js';

const caseRecord = (ref: string): CaseRecord => ({
  externalRef: ref,
  clientCode: SEED.clients.person,
  productId: SEED.products.crm,
  caseTypeId: SEED.caseTypes.commercial,
  subject: 'Pedido de proposta',
  opinion: 'Cliente quer proposta para 3 usuários.',
  closeCase: false,
  priority: false,
});

describe('the bimer mapping set under ERP faults', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ timeoutMs: 250 });
  });
  afterEach(() => h.sandbox.faults.clear());
  afterAll(() => h.close());

  it.each([
    { what: 'a 5xx in the envelope', action: { type: 'status', status: 503, envelope: true }, kind: 'transient', code: 'ERP_UNAVAILABLE' },
    { what: 'a 5xx without envelope', action: { type: 'status', status: 500 }, kind: 'transient', code: 'ERP_UNAVAILABLE' },
    { what: 'an answer slower than timeoutMs', action: { type: 'delay', ms: 1000 }, kind: 'transient', code: 'ERP_TIMEOUT' },
    { what: 'a reset connection', action: { type: 'reset' }, kind: 'transient', code: 'ERP_UNREACHABLE' },
    { what: 'an HTML page', action: { type: 'html' }, kind: 'transient', code: 'ERP_BAD_RESPONSE' },
    { what: 'a validation error', action: { type: 'validation', field: 'CodigoCliente' }, kind: 'permanent', code: 'ERP_VALIDATION' },
    { what: 'a validation error sent as HTTP 500', action: { type: 'validation', field: 'CodigoCliente', status: 500 }, kind: 'permanent', code: 'ERP_VALIDATION' },
    { what: 'T01 even with a fresh token', action: { type: 'token-expired' }, kind: 'transient', code: 'ERP_AUTH' },
    { what: 'a bare 401 even with a fresh token', action: { type: 'unauthorized' }, kind: 'permanent', code: 'ERP_AUTH_REJECTED' },
  ] as const)('turns $what into $kind $code', async ({ action, kind, code }) => {
    // times 2: the retry after a refused token meets the fault again.
    h.sandbox.faults.inject({ method: 'GET', path: '/api/pessoas/codigo/', times: 2, action });
    const error = await failure(h.connector.getClient('000012', h.ctx));
    expect(error).toMatchObject({ kind, code, retryable: kind === 'transient' });
    h.sandbox.faults.clear();
    expect(await h.connector.getClient('000012', h.ctx)).toMatchObject({ code: '000012' });
  });

  it('names the refused field of a validation error', async () => {
    h.sandbox.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', action: { type: 'validation', field: 'IdentificadorTipoAtendimento', message: 'tipo bloqueado' } });
    const error = await failure(h.connector.createCase(caseRecord('ext-v-1'), h.ctx));
    expect(error.details).toEqual([expect.objectContaining({ path: 'IdentificadorTipoAtendimento' })]);
    expect(error.message).toContain('IdentificadorTipoAtendimento: tipo bloqueado');
  });

  it('passes the Retry-After of a 429 on as retryAfterMs', async () => {
    h.sandbox.faults.inject({ path: '/api/crm/produtos', action: { type: 'rate-limit', retryAfterSeconds: 7 } });
    expect(await failure(h.connector.listProducts(h.ctx))).toMatchObject({ kind: 'transient', code: 'ERP_RATE_LIMITED', retryAfterMs: 7000 });
  });

  it('retries once with a new token after a single T01 and succeeds', async () => {
    const grants = h.sandbox.state.auth.grants.length;
    h.sandbox.faults.inject({ path: /^\/api\/crm\/usuarios/, action: { type: 'token-expired' } });
    expect(await h.connector.listUsers(h.ctx)).toHaveLength(3);
    expect(h.sandbox.state.auth.grants.slice(grants).map((g) => g.grantType)).toEqual(['refresh_token']);
  });

  it('fails transiently when the token endpoint is down, and recovers after', async () => {
    h.sandbox.state.auth.accessTokens.clear(); // the ERP forgot every token
    h.sandbox.faults.inject({ path: '/oauth/token', action: { type: 'status', status: 503 } });
    expect(await failure(h.connector.listCaseTypes(h.ctx))).toMatchObject({ kind: 'transient', code: 'ERP_UNAVAILABLE' });
    expect(await h.connector.listCaseTypes(h.ctx)).toHaveLength(3);
  });

  it.each(['reset', 'status'] as const)('creates one case only when the answer to the create is lost (%s)', async (then) => {
    const ref = `ext-crash-${then}`;
    h.sandbox.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', action: { type: 'crash-after-create', then } });
    const error = await failure(h.connector.createCase(caseRecord(ref), h.ctx));
    expect(error).toMatchObject({ kind: 'transient' });
    // What the engine's retry does: find by external reference first, create only if absent.
    const number = (await h.connector.findCaseByExternalRef(ref, h.ctx)) ?? (await h.connector.createCase(caseRecord(ref), h.ctx));
    expect(h.sandbox.state.cases.filter((c) => c.ReferenciaExterna === ref).map((c) => c.Numero)).toEqual([number]);
  });

  it('fails as transient ERP_UNREACHABLE when nothing listens', async () => {
    const gone = await startBimerSandbox();
    await gone.close();
    const c = await connect('bimer', bimerEnv(gone.url, {}, 1000));
    expect(await failure(c.ping())).toMatchObject({ kind: 'transient', code: 'ERP_UNREACHABLE' });
  });
});

describe('the bimer mapping set: traces', () => {
  it('records every exchange with operation, method, path, status and duration, and never a secret', async () => {
    const secretWord = 'Sup3r-Secret-Pass';
    const h = await startHarness({ sandbox: { credentials: { password: secretWord, clientSecret: 'client-s3cret-value' } }, credentials: { password: secretWord, clientSecret: 'client-s3cret-value' } });
    try {
      await h.connector.getClient('000012', h.ctx);
      h.sandbox.faults.inject({ path: '/api/crm/produtos', action: { type: 'token-expired' } });
      await h.connector.listProducts(h.ctx);
      await h.connector.createCase(caseRecord('ext-trace-1'), h.ctx);
      h.sandbox.state.auth.accessTokens.clear();
      h.sandbox.state.auth.refreshTokens.clear(); // the refresh is refused: a second full sign-in
      await h.connector.listUsers(h.ctx);
      await failure(h.connector.addOpinion({ processNumber: '99999999', text: 'x', externalRef: 'r' }, h.ctx));

      const operations = h.traces.map((t) => t.operation);
      expect(operations).toEqual(expect.arrayContaining(['token:password', 'token:refresh_token', 'getClient', 'listProducts', 'createCase', 'listUsers', 'addOpinion']));
      for (const t of h.traces) {
        expect(t.request).toMatchObject({ method: expect.stringMatching(/^(GET|POST)$/), path: expect.stringMatching(/^\//) });
        expect(typeof t.durationMs).toBe('number');
        expect(typeof t.status).toBe('number');
      }
      expect(h.traces.find((t) => t.operation === 'createCase')).toMatchObject({ request: { body: { ReferenciaExterna: 'ext-trace-1' } }, status: 200 });

      const recorded = JSON.stringify(h.traces) + JSON.stringify(h.log.lines);
      const nonces = [...h.sandbox.state.auth.usedNonces];
      expect(nonces.length).toBeGreaterThanOrEqual(2);
      const secrets = [
        secretWord,
        'client-s3cret-value',
        ...h.sandbox.state.auth.issued,
        ...nonces,
        ...nonces.map((n) => createHash('md5').update(`${SANDBOX_CREDENTIALS.username}${n}${secretWord}`).digest('hex')),
      ];
      expect(h.sandbox.state.auth.issued.length).toBeGreaterThanOrEqual(4);
      for (const secret of secrets) expect(recorded).not.toContain(secret);
      expect(recorded).not.toMatch(/bearer [A-Za-z0-9_-]{10,}/i);
      expect(recorded).toContain('[redacted]');
    } finally {
      await h.close();
    }
  });
});
