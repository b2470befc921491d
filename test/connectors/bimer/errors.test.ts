// The bimer mapping set's outcome rules (mappings/bimer/outcomes.json, then the REST kind's
// defaults in connectors/rest/outcomes.json) against scripted answers: each answer ends as the
// stable code and kind of today's error table.

import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import nock from 'nock';
import { ConnectorError } from '../../../src/errors.js';
import type { CaseRecord } from '../../../src/connectors/contract.js';
import { connect, failure } from '../connect.js';

const URL_ = 'http://bimer-errors.test';
const env = { BIMER_URL: URL_, BIMER_CLIENT_ID: 'c', BIMER_CLIENT_SECRET: 's', BIMER_USERNAME: 'u', BIMER_PASSWORD: 'p', BIMER_TIMEOUT_MS: '2000' };
const envelope = (...erros: Array<{ ErrorCode: string | number; ErrorMessage?: string; PossibleCause?: string }>) => ({ Erros: erros, ListaObjetos: [] });
const aCase: CaseRecord = { externalRef: 'ref-e', clientCode: '000012', productId: '00A0000011', caseTypeId: '00A0000021', subject: 'Assunto', opinion: 'Parecer', closeCase: true, priority: false };

function signedIn(times = 1) {
  nock(URL_).post('/oauth/token').times(times).reply(200, { access_token: 'AT', expires_in: 3600 });
}

describe('the Bimer error table, as outcome rules', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it.each([
    [400, envelope({ ErrorCode: 'C01', ErrorMessage: 'Atendimento não encontrado' }), 'permanent', 'ERP_NOT_FOUND'],
    [400, envelope({ ErrorCode: '-1', PossibleCause: 'Assunto: campo obrigatório' }), 'permanent', 'ERP_VALIDATION'],
    // Bimer sends an invalid body back as 500 with "-1": the ErrorCode wins over the status.
    [500, envelope({ ErrorCode: -1, PossibleCause: 'Assunto: campo obrigatório' }), 'permanent', 'ERP_VALIDATION'],
    [401, envelope({ ErrorCode: 'T01' }), 'transient', 'ERP_AUTH'],
    [200, envelope({ ErrorCode: 'T01' }), 'transient', 'ERP_AUTH'],
    [401, 'Unauthorized', 'permanent', 'ERP_AUTH_REJECTED'],
    [403, envelope(), 'permanent', 'ERP_AUTH_REJECTED'],
    [500, 'Internal Server Error', 'transient', 'ERP_UNAVAILABLE'],
    [503, envelope({ ErrorCode: 'E500', ErrorMessage: 'Erro interno' }), 'transient', 'ERP_UNAVAILABLE'],
    [502, '<html>Bad gateway</html>', 'transient', 'ERP_UNAVAILABLE'],
    [408, '', 'transient', 'ERP_TIMEOUT'],
    [429, envelope(), 'transient', 'ERP_RATE_LIMITED'],
    [404, { Message: 'No HTTP resource was found' }, 'permanent', 'ERP_REJECTED'],
    [301, '', 'permanent', 'ERP_REJECTED'],
    [200, '<!DOCTYPE html><html>Manutenção</html>', 'transient', 'ERP_BAD_RESPONSE'],
    [200, { Message: 'ok' }, 'transient', 'ERP_BAD_RESPONSE'],
    [200, { Erros: 'nope', ListaObjetos: [] }, 'transient', 'ERP_BAD_RESPONSE'],
    [200, envelope({ ErrorCode: 'X42', ErrorMessage: 'desconhecido' }), 'permanent', 'ERP_REJECTED'],
  ])('HTTP %i with %j on a create is %s %s', async (status, data, kind, code) => {
    // An expired token (401, T01) is renewed and the call sent once more: it meets the same answer.
    signedIn(2);
    nock(URL_).post('/api/crm/atendimentos').times(2).reply(status, data);
    const error = await failure((await connect('bimer', env)).createCase(aCase));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind, code, retryable: kind === 'transient' });
    expect(error.message).toContain('createCase');
  });

  it('reads a 2xx envelope with null fields as a success', async () => {
    signedIn();
    nock(URL_).get('/api/crm/produtos').reply(200, { Erros: null, ListaObjetos: null });
    expect(await (await connect('bimer', env)).listProducts()).toEqual([]);
  });

  it('names the field of a validation error and keeps PossibleCause in message and details', async () => {
    signedIn();
    nock(URL_).post('/api/crm/atendimentos').reply(400, envelope({ ErrorCode: '-1', ErrorMessage: 'Dados inválidos', PossibleCause: 'O produto informado em IdentificadorProduto está inativo' }));
    const error = await failure((await connect('bimer', env)).createCase(aCase));
    expect(error.message).toContain('O produto informado em IdentificadorProduto está inativo');
    expect(error.details).toEqual([expect.objectContaining({ path: 'IdentificadorProduto', erpCode: '-1' })]);
  });

  it('carries Retry-After of a 429 as retryAfterMs', async () => {
    signedIn();
    nock(URL_).get('/api/crm/produtos').reply(429, envelope(), { 'retry-after': '7' });
    expect(await failure((await connect('bimer', env)).listProducts())).toMatchObject({ code: 'ERP_RATE_LIMITED', retryAfterMs: 7000 });
  });

  it.each([
    [{ error: 'invalid_grant', error_description: 'usuário ou senha inválidos' }, 400, 'permanent', 'ERP_AUTH_REJECTED'],
    [{ error: 'invalid_client' }, 401, 'permanent', 'ERP_AUTH_REJECTED'],
    ['Service Unavailable', 503, 'transient', 'ERP_UNAVAILABLE'],
    [{}, 429, 'transient', 'ERP_RATE_LIMITED'],
    ['<html>login</html>', 200, 'transient', 'ERP_BAD_RESPONSE'],
    [{ token: 'x' }, 200, 'transient', 'ERP_BAD_RESPONSE'],
  ])('the token endpoint answering %j (HTTP %i) is %s %s', async (data, status, kind, code) => {
    nock(URL_).post('/oauth/token').reply(status, data);
    const error = await failure((await connect('bimer', env)).ping());
    expect(error).toMatchObject({ kind, code });
    if (typeof data === 'object' && 'error_description' in data) expect(error.message).toContain('usuário ou senha inválidos');
  });

  it.each([
    ['ECONNREFUSED', 'transient', 'ERP_UNREACHABLE'],
    ['ECONNRESET', 'transient', 'ERP_UNREACHABLE'],
    ['ETIMEDOUT', 'transient', 'ERP_TIMEOUT'],
    ['SOMETHING_NEW', 'transient', 'ERP_UNREACHABLE'],
    ['CERT_HAS_EXPIRED', 'permanent', 'ERP_TLS'],
  ])('network error %s is %s %s, without the request config in the error', async (networkCode, kind, code) => {
    signedIn();
    nock(URL_).get('/api/crm/usuarios').replyWithError(Object.assign(new Error(`connect ${networkCode}`), { code: networkCode }));
    const error = await failure((await connect('bimer', env)).listUsers());
    expect(error).toMatchObject({ kind, code });
    expect(error.message).toContain(networkCode);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('Bearer AT');
  });
});
