import { describe, it, expect } from 'vitest';
import { ConnectorError } from '../../../src/errors.js';
import { classifyNetworkError, classifyResponse, classifyTokenAnswer, fieldOf, parseRetryAfter } from '../../../connectors/bimer/errors.js';

const call = { operation: 'createCase', fields: ['CodigoCliente', 'IdentificadorProduto', 'Assunto'] };
const envelope = (...erros: Array<{ ErrorCode: string | number; ErrorMessage?: string; PossibleCause?: string }>) => ({ Erros: erros, ListaObjetos: [] });

describe('the Bimer error table', () => {
  it.each([
    [400, envelope({ ErrorCode: 'C01', ErrorMessage: 'Pessoa não encontrada' }), 'permanent', 'ERP_NOT_FOUND'],
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
  ])('HTTP %i with %j is %s %s', (status, data, kind, code) => {
    const error = classifyResponse({ status, data, headers: {} }, call);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind, code, retryable: kind === 'transient' });
    expect(error!.message).toContain('createCase');
  });

  it('reads a 2xx envelope without Erros (or with null fields) as a success', () => {
    expect(classifyResponse({ status: 200, data: { Erros: [], ListaObjetos: [{ Numero: '1' }] } }, call)).toBeUndefined();
    expect(classifyResponse({ status: 201, data: { Erros: null, ListaObjetos: ['10000003'] } }, call)).toBeUndefined();
    expect(classifyResponse({ status: 200, data: { Erros: null, ListaObjetos: null } }, call)).toBeUndefined();
  });

  it('names the field of a validation error and keeps PossibleCause in message and details', () => {
    const error = classifyResponse(
      { status: 400, data: envelope({ ErrorCode: '-1', ErrorMessage: 'Dados inválidos', PossibleCause: 'O produto informado em IdentificadorProduto está inativo' }) },
      call,
    )!;
    expect(error.message).toContain('O produto informado em IdentificadorProduto está inativo');
    expect(error.details).toEqual([expect.objectContaining({ path: 'IdentificadorProduto', erpCode: '-1' })]);
  });

  it('finds the field from the PossibleCause prefix when the payload does not have it', () => {
    expect(fieldOf({ ErrorCode: '-1', PossibleCause: 'ReferenciaExterna: campo obrigatório' }, [])).toBe('ReferenciaExterna');
    expect(fieldOf({ ErrorCode: '-1', PossibleCause: 'CodigoCliente: cliente 000099 não cadastrado' }, ['CodigoCliente'])).toBe('CodigoCliente');
    expect(fieldOf({ ErrorCode: '-1', PossibleCause: 'valor inválido' }, ['Assunto'])).toBeUndefined();
  });

  it('carries Retry-After of a 429 as retryAfterMs, in seconds or as an HTTP date', () => {
    const seconds = classifyResponse({ status: 429, data: envelope(), headers: { 'retry-after': '7' } }, call)!;
    expect(seconds.retryAfterMs).toBe(7000);
    const now = () => Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(classifyResponse({ status: 429, data: envelope() }, call)!.retryAfterMs).toBeUndefined();
  });

  it.each([
    ['ECONNABORTED', 'transient', 'ERP_TIMEOUT'],
    ['ETIMEDOUT', 'transient', 'ERP_TIMEOUT'],
    ['ECONNREFUSED', 'transient', 'ERP_UNREACHABLE'],
    ['ECONNRESET', 'transient', 'ERP_UNREACHABLE'],
    ['EAI_AGAIN', 'transient', 'ERP_UNREACHABLE'],
    ['ENOTFOUND', 'transient', 'ERP_UNREACHABLE'],
    ['SOMETHING_NEW', 'transient', 'ERP_UNREACHABLE'],
    ['CERT_HAS_EXPIRED', 'permanent', 'ERP_TLS'],
  ])('network error %s is %s %s', (code, kind, stable) => {
    const cause = Object.assign(new Error(`connect ${code}`), { code, config: { headers: { Authorization: 'Bearer secret-token' } } });
    const error = classifyNetworkError(cause, { operation: 'getClient' });
    expect(error).toMatchObject({ kind, code: stable });
    // The axios error (with its request config and headers) is not kept as the cause.
    expect(JSON.stringify(error.cause, Object.getOwnPropertyNames(error.cause))).not.toContain('secret-token');
    expect(error.message).toContain(code);
  });

  describe('the token endpoint', () => {
    const tokenCall = { operation: 'token:password' };

    it('accepts an answer with an access_token', () => {
      expect(classifyTokenAnswer({ status: 200, data: { access_token: 'x', expires_in: 60 } }, tokenCall)).toBeUndefined();
    });

    it.each([
      [400, { error: 'invalid_grant', error_description: 'usuário ou senha inválidos' }, 'permanent', 'ERP_AUTH_REJECTED'],
      [401, { error: 'invalid_client' }, 'permanent', 'ERP_AUTH_REJECTED'],
      [503, 'Service Unavailable', 'transient', 'ERP_UNAVAILABLE'],
      [429, {}, 'transient', 'ERP_RATE_LIMITED'],
      [200, '<html>login</html>', 'transient', 'ERP_BAD_RESPONSE'],
      [200, { token: 'x' }, 'transient', 'ERP_BAD_RESPONSE'],
    ])('HTTP %i with %j is %s %s', (status, data, kind, code) => {
      expect(classifyTokenAnswer({ status, data }, tokenCall)).toMatchObject({ kind, code });
    });
  });
});
