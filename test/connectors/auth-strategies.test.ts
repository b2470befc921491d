// Every auth strategy a deployment selects by settings, against real peers on 127.0.0.1, and how
// each one's credential is renewed: a JWT from a token endpoint (bimer-core) shared by concurrent
// calls, renewed before expiresIn and once when the ERP drops it; static credentials (bearer,
// api-key, basic) never re-sent in a loop once refused; a WS-Security UsernameToken (text or digest)
// made anew for every request and sent once more when the service finds it expired. The classic
// Bimer password grant (md5 nonce, refresh grant) is covered in bimer/connector-http.test.ts.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect, failure } from './connect.js';
import { CORE_CREDENTIALS, startBimerCorePeer, type CorePeer } from '../support/peers/bimer-core/server.js';
import { SIGMA_CREDENTIALS, SIGMA_MAPPINGS, startSigmaPeer, type SigmaPeer } from '../support/peers/sigma/server.js';

describe('bimer-core: a JWT from the token endpoint', () => {
  let peer: CorePeer;
  const TTL = 600;
  beforeAll(async () => {
    peer = await startBimerCorePeer({ tokenTtlSeconds: TTL });
  });
  afterAll(() => peer.close());
  beforeEach(() => {
    peer.state.requests.length = 0;
    peer.state.signIns = 0;
  });

  let clock = Date.now();
  const env = (extra: Record<string, string> = {}) => ({ BIMER_URL: peer.url, BIMER_USERNAME: CORE_CREDENTIALS.username, BIMER_PASSWORD: CORE_CREDENTIALS.password, BIMER_TIMEOUT_MS: '2000', ...extra });
  const core = (extra?: Record<string, string>) => connect('bimer-core', env(extra), { now: () => clock });
  const calls = () => peer.state.requests.map((r) => `${r.method} ${r.url.split('?')[0]} ${r.status}`);

  it('signs in once with the plain password for concurrent calls, and sends the token as a bearer', async () => {
    const connector = await core();
    const answers = await Promise.all(Array.from({ length: 8 }, () => connector.listUsers()));
    expect(answers.every((users) => users.length === 2)).toBe(true);
    expect(peer.state.signIns).toBe(1);
    expect(calls().filter((c) => c.startsWith('POST /api/autenticacao/token'))).toEqual(['POST /api/autenticacao/token 200']);
  });

  it('renews the token shortly before expiresIn runs out, without the ERP ever refusing it', async () => {
    const connector = await core();
    await connector.listUsers();
    clock += (TTL - 20) * 1000;
    await connector.listUsers();
    expect(peer.state.signIns).toBe(2);
    expect(calls()).toEqual(['POST /api/autenticacao/token 200', 'GET /api/crm/usuarios 200', 'POST /api/autenticacao/token 200', 'GET /api/crm/usuarios 200']);
  });

  it('a token the ERP dropped early (a restart) is renewed once and the call goes through', async () => {
    const connector = await core();
    await connector.listUsers();
    peer.state.tokens.clear();
    expect(await connector.listUsers()).toHaveLength(2);
    expect(calls()).toEqual(['POST /api/autenticacao/token 200', 'GET /api/crm/usuarios 200', 'GET /api/crm/usuarios 401', 'POST /api/autenticacao/token 200', 'GET /api/crm/usuarios 200']);
  });

  it('a freshly issued token refused too is ERP_AUTH, retryable, after exactly one renewal', async () => {
    const connector = await core();
    await connector.listUsers();
    peer.inject('GET', /^\/api\/crm\/usuarios$/, { type: 'token-expired' }, 2);
    expect(await failure(connector.listUsers())).toMatchObject({ code: 'ERP_AUTH', kind: 'transient' });
    expect(peer.state.signIns).toBe(2);
  });

  it('refused credentials are ERP_AUTH_REJECTED, permanent, naming the settings to check', async () => {
    const err = await failure((await core({ BIMER_PASSWORD: 'not-the-password' })).listUsers());
    expect(err).toMatchObject({ code: 'ERP_AUTH_REJECTED', kind: 'permanent' });
    expect(err.message).toMatch(/BIMER_USERNAME\/BIMER_PASSWORD/);
    expect(err.message).not.toContain('not-the-password');
  });
});

describe('static credentials: bearer, api-key, basic', () => {
  let peer: CorePeer;
  beforeAll(async () => {
    peer = await startBimerCorePeer();
  });
  afterAll(() => peer.close());

  const STATIC_TOKEN = 'static-token-from-the-erp-admin';
  const API_KEY = 'chave-de-integracao-0123456789';
  const strategies: Array<[string, Record<string, string>, () => void]> = [
    ['bearer', { BIMER_AUTH: 'bearer', BIMER_TOKEN: STATIC_TOKEN }, () => peer.state.tokens.delete(STATIC_TOKEN)],
    ['api-key', { BIMER_AUTH: 'api-key', BIMER_TOKEN: API_KEY, BIMER_API_KEY_HEADER: 'X-Chave-Api' }, () => peer.state.apiKeys.delete(API_KEY)],
    ['basic', { BIMER_AUTH: 'basic', BIMER_USERNAME: CORE_CREDENTIALS.username, BIMER_PASSWORD: CORE_CREDENTIALS.password }, () => (peer.state.credentials.password = 'changed-by-the-erp-admin')],
  ];

  it.each(strategies)('%s: sent on every call, no sign-in; once refused it is final and never re-sent', async (_name, settings, revoke) => {
    peer.state.tokens.set(STATIC_TOKEN, Number.MAX_SAFE_INTEGER);
    peer.state.apiKeys.add(API_KEY);
    peer.state.credentials.password = CORE_CREDENTIALS.password;
    const connector = await connect('bimer-core', { BIMER_URL: peer.url, BIMER_TIMEOUT_MS: '2000', ...settings });
    const signIns = peer.state.signIns;
    expect(await connector.listUsers()).toHaveLength(2);
    expect(await connector.listResponsibilityCenters()).toHaveLength(2);
    expect(peer.state.signIns).toBe(signIns);

    revoke();
    const before = peer.state.requests.length;
    const err = await failure(connector.listUsers());
    expect(err).toMatchObject({ kind: 'permanent' });
    expect(err.message).toMatch(/cannot be renewed/);
    expect(peer.state.requests.slice(before).map((r) => r.status)).toEqual([401]);
  });
});

describe('WS-Security UsernameToken (the Sigma service checks Created and refuses a reused nonce)', () => {
  let peer: SigmaPeer;
  beforeAll(async () => {
    peer = await startSigmaPeer();
  });
  afterAll(() => peer.close());

  const sigma = (extra: Record<string, string> = {}) =>
    connect('sigma', { ERP_URL: peer.url, ERP_USERNAME: SIGMA_CREDENTIALS.username, ERP_PASSWORD: SIGMA_CREDENTIALS.password, ERP_TIMEOUT_MS: '3000', ...extra }, { dir: SIGMA_MAPPINGS });
  const tokensOf = (operation: string, from: number) => peer.requests.slice(from).filter((r) => r.operation === operation);

  it('digest: every request carries a token of its own, so concurrent calls are never refused as replays', async () => {
    const connector = await sigma();
    const from = peer.requests.length;
    const answers = await Promise.all(Array.from({ length: 6 }, () => connector.listUsers()));
    expect(answers.every((users) => users.length === 2)).toBe(true);
    const sent = tokensOf('ListarUsuarios', from);
    expect(sent).toHaveLength(6);
    expect(new Set(sent.map((r) => r.nonce)).size).toBe(6);
  });

  it.each(['PasswordDigest', 'PasswordText'])('%s: a token the service found expired is made anew and sent once more', async (passwordType) => {
    const connector = await sigma({ ERP_PASSWORD_TYPE: passwordType });
    await connector.listUsers();
    peer.inject('ListarUsuarios', 'token-expired');
    const from = peer.requests.length;
    expect(await connector.listUsers()).toHaveLength(2);
    const [expired, renewed] = tokensOf('ListarUsuarios', from);
    expect(renewed).toBeDefined();
    expect(renewed!.created).toBeDefined();
    if (passwordType === 'PasswordDigest') expect(renewed!.nonce).not.toBe(expired!.nonce);
  });

  it('refused as expired again is SOAP_AUTH_EXPIRED, permanent, pointing at the clocks', async () => {
    const connector = await sigma();
    peer.inject('ListarUsuarios', 'token-expired', 2);
    const err = await failure(connector.listUsers());
    expect(err).toMatchObject({ code: 'SOAP_AUTH_EXPIRED', kind: 'permanent' });
    expect(err.message).toMatch(/clocks/);
  });

  it('a wrong password is SOAP_AUTH_REJECTED, permanent', async () => {
    expect(await failure((await sigma({ ERP_PASSWORD: 'not-the-password' })).listUsers())).toMatchObject({ code: 'SOAP_AUTH_REJECTED', kind: 'permanent' });
  });
});
