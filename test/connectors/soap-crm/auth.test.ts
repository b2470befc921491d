import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC, caseRecord, failure, PASSWORD, SEED, startHarness, watchProcess, type Harness } from './harness.js';

watchProcess();

const basicToken = (password: string) => Buffer.from(`ponte:${password}`).toString('base64');

function expectNoSecret(h: Harness, ...secrets: string[]): void {
  const traced = JSON.stringify(h.traces);
  for (const secret of [PASSWORD, basicToken(PASSWORD), ...secrets]) expect(traced).not.toContain(secret);
}

describe('the soap-crm mapping set with WS-Security UsernameToken (text and digest)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ peer: { auth: { type: 'wsse', username: 'ponte', password: PASSWORD } } });
  });
  afterAll(() => h.close());

  it('calls with a PasswordText token', async () => {
    expect(await h.connector.getClient(SEED.clients.padaria, h.ctx)).toMatchObject({ code: '000012' });
  });

  it('calls with a PasswordDigest token', async () => {
    const digest = await h.connect({ SOAP_WSSE_PASSWORD_TYPE: 'PasswordDigest' });
    expect(await digest.getClient(SEED.clients.padaria, h.ctx)).toMatchObject({ code: '000012' });
  });

  it('a wrong password is a permanent SOAP_AUTH_REJECTED', async () => {
    const wrong = await h.connect({ SOAP_PASSWORD: 'not-the-password' });
    const err = await failure(wrong.getClient(SEED.clients.padaria, h.ctx));
    expect(err).toMatchObject({ code: 'SOAP_AUTH_REJECTED', kind: 'permanent', retryable: false });
    expect(err.message).not.toContain('not-the-password');
  });

  it('no credentials at all are refused too (auth applies to every SOAP call)', async () => {
    const anonymous = await h.connect({ SOAP_AUTH: 'none' });
    expect(await failure(anonymous.createCase(caseRecord({ externalRef: 'x' }), h.ctx))).toMatchObject({ code: 'SOAP_AUTH_REJECTED', kind: 'permanent' });
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

describe('the soap-crm mapping set with HTTP basic auth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ peer: { auth: { type: 'basic', username: 'ponte', password: PASSWORD } }, env: BASIC });
  });
  afterAll(() => h.close());

  it('calls with basic credentials', async () => {
    expect(await h.connector.listResponsibilityCenters(h.ctx)).toHaveLength(2);
  });

  it('reads the WSDL from the service URL with the same credentials', async () => {
    const fromUrl = await h.connect({ SOAP_WSDL: h.peer.wsdlUrl });
    expect(await fromUrl.getProcess(SEED.existingProcess, h.ctx)).toMatchObject({ number: SEED.existingProcess });
  });

  it('a wrong password is a permanent SOAP_AUTH_REJECTED, for calls and for the WSDL', async () => {
    const wrong = await h.connect({ SOAP_PASSWORD: 'nope-nope' });
    expect(await failure(wrong.listProducts(h.ctx))).toMatchObject({ code: 'SOAP_AUTH_REJECTED', kind: 'permanent' });
    const wrongWsdl = await h.connect({ SOAP_WSDL: h.peer.wsdlUrl, SOAP_PASSWORD: 'nope-nope' });
    expect(await failure(wrongWsdl.listProducts(h.ctx))).toMatchObject({ code: 'SOAP_AUTH_REJECTED', kind: 'permanent' });
  });

  it('never traces the Authorization header or the password', async () => {
    await h.connector.getClient(SEED.clients.padaria, h.ctx);
    expectNoSecret(h, basicToken('nope-nope'));
  });
});
