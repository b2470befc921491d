// The soap-crm mapping set as a deployment configures it: SOAP_* variables, what they must
// hold, and the built-in peer when SOAP_URL is unset.

import { describe, expect, it } from 'vitest';
import { loadConnectorSet } from '../../../src/connectors/registry.js';
import { readSettings } from '../../../src/connectors/settings.js';
import { connect } from '../connect.js';
import { caseRecord, failure, SEED, watchProcess } from './harness.js';

watchProcess();

describe('the soap-crm mapping set', () => {
  it('reads SOAP_* with defaults: the WSDL at the endpoint (?wsdl), no auth, 10 s timeout', async () => {
    const set = await loadConnectorSet('soap-crm');
    expect(set.kind).toBe('soap');
    expect(readSettings(set, { SOAP_URL: 'https://crm.example.com/Crm.svc' })).toMatchObject({ url: 'https://crm.example.com/Crm.svc', wsdl: 'https://crm.example.com/Crm.svc?wsdl', auth: 'none', timeoutMs: '10000' });
    expect(readSettings(set, { SOAP_URL: 'https://crm.example.com/Crm.svc', SOAP_WSDL: '/etc/ponte/crm.wsdl', SOAP_AUTH: 'wsse', SOAP_WSSE_PASSWORD_TYPE: 'PasswordDigest' })).toMatchObject({
      wsdl: '/etc/ponte/crm.wsdl',
      auth: 'wsse',
      passwordType: 'PasswordDigest',
    });
  });

  it('refuses what it cannot use, naming each variable: missing credentials, an unknown auth, a non-numeric timeout', async () => {
    const paths = async (env: Record<string, string>) => ((await connect('soap-crm', { SOAP_URL: 'https://crm.example.com/Crm.svc', ...env }).catch((e) => e)).details ?? []).map((d: { path: string }) => d.path);
    expect(await paths({ SOAP_AUTH: 'basic', SOAP_USERNAME: 'ponte' })).toEqual(['SOAP_PASSWORD']);
    expect(await paths({ SOAP_AUTH: 'kerberos' })).toEqual(['SOAP_AUTH']);
    expect(await paths({ SOAP_TIMEOUT_MS: 'soon' })).toEqual(['SOAP_TIMEOUT_MS']);
    expect(await paths({ SOAP_WSSE_PASSWORD_TYPE: 'Plain' })).toEqual(['SOAP_WSSE_PASSWORD_TYPE']);
  });

  it('without SOAP_URL, starts the peer, and close() stops it', async () => {
    const connector = await connect('soap-crm', {});
    expect(connector.name).toBe('soap-crm');
    expect(await connector.getClient(SEED.clients.padaria)).toMatchObject({ companyName: 'Padaria Pão Quente Ltda' });
    const number = await connector.createCase(caseRecord({ clientCode: SEED.clients.mercado, caseTypeId: SEED.caseTypes.commercial, closeCase: true, priority: false, nextContact: undefined, externalRef: 'embedded-1' }));
    expect(number).toBe(SEED.firstNewProcess);
    await connector.close();
    expect(await failure(connector.ping())).toMatchObject({ code: 'SOAP_UNREACHABLE', kind: 'transient' });
  });
});
