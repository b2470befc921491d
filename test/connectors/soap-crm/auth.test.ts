import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC, failure, PASSWORD, SEED, startHarness, watchProcess, WSSE, type Harness } from './harness.js';

watchProcess();

const basicToken = (password: string) => Buffer.from(`ponte:${password}`).toString('base64');

function expectNoSecret(h: Harness, ...secrets: string[]): void {
  const traced = JSON.stringify(h.traces);
  for (const secret of [PASSWORD, basicToken(PASSWORD), ...secrets]) expect(traced).not.toContain(secret);
}

describe('soap-crm with WS-Security UsernameToken', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ peer: { auth: { type: 'wsse', username: 'ponte', password: PASSWORD } } });
  });
  afterAll(() => h.close());

  it('calls with a PasswordText token', async () => {
    expect(await h.connector.getClient(SEED.clients.padaria, h.ctx)).toMatchObject({ code: '000012' });
  });

  it('calls with a PasswordDigest token', async () => {
    const digest = h.connect({ auth: { ...WSSE, passwordType: 'PasswordDigest' } as typeof WSSE });
    expect(await digest.getClient(SEED.clients.padaria, h.ctx)).toMatchObject({ code: '000012' });
  });

  it('a wrong password is a permanent SOAP_AUTH_REJECTED', async () => {
    const wrong = h.connect({ auth: { ...WSSE, password: 'not-the-password' } });
    const err = await failure(wrong.getClient(SEED.clients.padaria, h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_AUTH_REJECTED', kind: 'permanent', retryable: false });
    expect(err.message).not.toContain('not-the-password');
  });

  it('no credentials at all are refused too (auth applies to every SOAP call)', async () => {
    const anonymous = h.connect({ auth: { type: 'none' } });
    expect(await failure(anonymous.createCase({ ExternalRef: 'x' }, h.ctx))).toMatchObject({ code: 'SOAP_AUTH_REJECTED', kind: 'permanent' });
    expect(h.peer.state.processByExternalRef('x')).toBeUndefined();
  });

  it('never traces the password nor puts it in an error, even when a fault echoes it back', async () => {
    h.peer.faults.inject({ action: { type: 'client-fault', message: `bad token <wsse:Password>${PASSWORD}</wsse:Password> for ${PASSWORD}` } });
    const err = await failure(h.connector.getClient(SEED.clients.padaria, h.ctx));
    expect(err.code).toBe('SOAP_CLIENT_FAULT');
    expect(err.message).toContain('bad token');
    expect(err.message).not.toContain(PASSWORD);
    expect(h.traces.length).toBeGreaterThan(0);
    expectNoSecret(h, 'not-the-password');
  });
});

describe('soap-crm with HTTP basic auth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ peer: { auth: { type: 'basic', username: 'ponte', password: PASSWORD } }, connector: { auth: BASIC } });
  });
  afterAll(() => h.close());

  it('calls with basic credentials', async () => {
    expect(await h.connector.listResponsibilityCenters(h.ctx)).toHaveLength(2);
  });

  it('reads the WSDL from the service URL with the same credentials', async () => {
    const fromUrl = h.connect({ wsdl: h.peer.wsdlUrl });
    expect(await fromUrl.getProcess(SEED.existingProcess, h.ctx)).toMatchObject({ number: SEED.existingProcess });
  });

  it('a wrong password is a permanent SOAP_AUTH_REJECTED, for calls and for the WSDL', async () => {
    const wrong = h.connect({ auth: { ...BASIC, password: 'nope-nope' } });
    expect(await failure(wrong.listProducts(h.ctx))).toMatchObject({ code: 'SOAP_AUTH_REJECTED', kind: 'permanent' });
    const wrongWsdl = h.connect({ wsdl: h.peer.wsdlUrl, auth: { ...BASIC, password: 'nope-nope' } });
    expect(await failure(wrongWsdl.listProducts(h.ctx))).toMatchObject({ code: 'SOAP_AUTH_REJECTED', kind: 'permanent' });
  });

  it('never traces the Authorization header or the password', async () => {
    await h.connector.getClient(SEED.clients.padaria, h.ctx);
    expectNoSecret(h, basicToken('nope-nope'));
  });
});
