import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultAction } from '../../../connectors/soap-crm/peer/faults.js';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BUILTIN_MAPPINGS_DIR } from '../../../src/connectors/mapping-set.js';
import { caseRecord, failure, SEED, startHarness, watchProcess, type Harness } from './harness.js';

watchProcess();

describe('the SOAP outcome rules against injected faults', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it.each<[string, string, 'transient' | 'permanent', FaultAction]>([
    ['a soap:Server fault', 'SOAP_SERVER_FAULT', 'transient', { type: 'server-fault' }],
    ['a soap:Client fault', 'SOAP_CLIENT_FAULT', 'permanent', { type: 'client-fault', message: 'Code: rejected' }],
    ['a SOAP 1.2 Receiver fault', 'SOAP_SERVER_FAULT', 'transient', { type: 'soap12-fault', code: 'Receiver' }],
    ['a SOAP 1.2 Sender fault', 'SOAP_CLIENT_FAULT', 'permanent', { type: 'soap12-fault', code: 'Sender' }],
    ['malformed XML', 'SOAP_MALFORMED_RESPONSE', 'transient', { type: 'malformed-xml' }],
    ['an HTML 502 page', 'SOAP_BAD_RESPONSE', 'transient', { type: 'html' }],
    ['an HTML 500 page', 'SOAP_BAD_RESPONSE', 'transient', { type: 'html', status: 500 }],
    ["another operation's answer", 'SOAP_CONTRACT_MISMATCH', 'permanent', { type: 'unknown-operation' }],
    ['the answer in a foreign namespace', 'SOAP_CONTRACT_MISMATCH', 'permanent', { type: 'wrong-namespace' }],
    ['a reset connection', 'SOAP_UNREACHABLE', 'transient', { type: 'reset' }],
  ])('%s is %s (%s), and the next call works', async (_what, code, kind, action) => {
    h.peer.faults.inject({ operation: 'GetClient', action });
    const err = await failure(h.connector.getClient(SEED.clients.padaria, h.ctx));
    expect(err).toMatchObject({ name: 'ConnectorError', code, kind, retryable: kind === 'transient' });
    expect(err.message).toContain('GetClient');
    expect(await h.connector.getClient(SEED.clients.padaria, h.ctx)).toMatchObject({ code: '000012' });
  });

  it('carries the faultstring into the message', async () => {
    h.peer.faults.inject({ operation: 'CreateCase', action: { type: 'client-fault', message: 'Subject: too long for the CRM' } });
    const err = await failure(h.connector.createCase(caseRecord({ externalRef: 'fault-msg' }), h.ctx));
    expect(err.message).toContain('Subject: too long for the CRM');
  });

  it('an answer slower than timeoutMs is a transient SOAP_TIMEOUT', async () => {
    const impatient = await h.connect({ SOAP_TIMEOUT_MS: '300' });
    h.peer.faults.inject({ operation: 'ListProducts', action: { type: 'delay', ms: 2000 } });
    expect(await failure(impatient.listProducts(h.ctx))).toMatchObject({ code: 'SOAP_TIMEOUT', kind: 'transient' });
  });

  it('a fault hits only the calls it was injected for', async () => {
    h.peer.faults.inject({ operation: 'ListUsers', times: 2, action: { type: 'server-fault' } });
    await expect(h.connector.listProducts(h.ctx)).resolves.toHaveLength(3);
    await expect(h.connector.listUsers(h.ctx)).rejects.toMatchObject({ code: 'SOAP_SERVER_FAULT' });
    await expect(h.connector.listUsers(h.ctx)).rejects.toMatchObject({ code: 'SOAP_SERVER_FAULT' });
    await expect(h.connector.listUsers(h.ctx)).resolves.toHaveLength(3);
    expect(h.peer.faults.pending()).toEqual([]);
  });

  it('traces a failed exchange with its status and the (cut) raw answer', async () => {
    h.traces.length = 0;
    h.peer.faults.inject({ operation: 'GetMarkers', action: { type: 'html', status: 502 } });
    await failure(h.connector.getMarkers(SEED.clients.padaria, h.ctx));
    expect(h.traces).toEqual([
      expect.objectContaining({
        operation: 'GetMarkers',
        status: 502,
        response: expect.objectContaining({ code: 'SOAP_BAD_RESPONSE', body: expect.stringContaining('502 Bad Gateway') }),
      }),
    ]);
  });

  it('an operation the WSDL does not have (a mapping set that names another) is SOAP_CONTRACT_MISMATCH', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ponte-sets-'));
    try {
      await cp(path.join(BUILTIN_MAPPINGS_DIR, 'soap-crm'), path.join(dir, 'soap-crm'), { recursive: true });
      const file = path.join(dir, 'soap-crm', 'connector.json');
      await writeFile(file, (await readFile(file, 'utf8')).replace('"operation": "GetClient"', '"operation": "GetCustomer"'));
      const retargeted = await h.connect({}, { dir });
      const err = await failure(retargeted.getClient(SEED.clients.padaria, h.ctx));
      expect(err).toMatchObject({ code: 'SOAP_CONTRACT_MISMATCH', kind: 'permanent' });
      expect(err.message).toContain('GetCustomer');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an unreachable service is a transient SOAP_UNREACHABLE', async () => {
    const nowhere = await h.connect({ SOAP_URL: 'http://127.0.0.1:1/crm' });
    expect(await failure(nowhere.ping(h.ctx))).toMatchObject({ code: 'SOAP_UNREACHABLE', kind: 'transient' });
  });

  it('a WSDL that cannot be read is a permanent SOAP_WSDL_UNUSABLE, retried on the next call', async () => {
    const broken = await h.connect({ SOAP_WSDL: '/nonexistent/crm.wsdl' });
    expect(await failure(broken.ping(h.ctx))).toMatchObject({ code: 'SOAP_WSDL_UNUSABLE', kind: 'permanent' });
    expect(await failure(broken.ping(h.ctx))).toMatchObject({ code: 'SOAP_WSDL_UNUSABLE' });
  });
});
