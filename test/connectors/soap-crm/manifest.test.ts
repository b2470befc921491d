import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { ValidationError } from '../../../src/errors.js';
import { BUNDLED_WSDL, DEFAULT_OPERATIONS, operationNames } from '../../../connectors/soap-crm/config.js';
import { manifest } from '../../../connectors/soap-crm/index.js';
import { failure, SEED, silentLog, watchProcess } from './harness.js';

watchProcess();

const validate = new Ajv({ allErrors: true, strict: false }).compile(manifest.configSchema);

describe('the soap-crm manifest', () => {
  it('reads SOAP_* with defaults: bundled WSDL, no endpoint (embedded peer), no auth, 10 s timeout', () => {
    const config = manifest.configFromEnv({});
    expect(config).toMatchObject({ wsdl: BUNDLED_WSDL, endpoint: undefined, auth: { type: 'none' }, timeoutMs: 10_000, operations: {} });
    expect(validate(JSON.parse(JSON.stringify(config)))).toBe(true);
  });

  it('reads a full SOAP configuration, with operation overrides merged over the defaults', () => {
    const config = manifest.configFromEnv({
      SOAP_WSDL: 'https://crm.example.com/Crm.svc?wsdl',
      SOAP_URL: 'https://crm.example.com/Crm.svc',
      SOAP_AUTH: 'wsse',
      SOAP_USERNAME: 'ponte',
      SOAP_PASSWORD: 'pw',
      SOAP_TIMEOUT_MS: '2500',
      SOAP_OPERATIONS: '{"createCase":"AbrirAtendimento","notify":"Notificar"}',
    });
    expect(validate(config)).toBe(true);
    expect(operationNames(config)).toEqual({ ...DEFAULT_OPERATIONS, createCase: 'AbrirAtendimento', notify: 'Notificar' });
  });

  it('refuses what it cannot use: bad JSON, unknown operations, missing credentials, a non-numeric timeout', () => {
    expect(() => manifest.configFromEnv({ SOAP_OPERATIONS: '{nope' })).toThrow(ValidationError);
    expect(() => manifest.configFromEnv({ SOAP_OPERATIONS: '["GetClient"]' })).toThrow(ValidationError);
    expect(validate(manifest.configFromEnv({ SOAP_OPERATIONS: '{"deleteEverything":"Drop"}' }))).toBe(false);
    expect(validate(manifest.configFromEnv({ SOAP_AUTH: 'basic', SOAP_USERNAME: 'ponte' }))).toBe(false);
    expect(validate(manifest.configFromEnv({ SOAP_AUTH: 'kerberos' }))).toBe(false);
    expect(validate(manifest.configFromEnv({ SOAP_TIMEOUT_MS: 'soon' }))).toBe(false);
  });

  it('without SOAP_URL, create() starts the peer and close() stops it', async () => {
    const connector = await manifest.create(manifest.configFromEnv({}), { log: silentLog });
    expect(connector.name).toBe('soap-crm');
    expect(await connector.getClient(SEED.clients.padaria)).toMatchObject({ companyName: 'Padaria Pão Quente Ltda' });
    const number = await connector.createCase({
      ClientCode: SEED.clients.mercado,
      ProductId: SEED.products.erp,
      CaseTypeId: SEED.caseTypes.commercial,
      Subject: 'Embedded',
      Opinion: 'Feito.',
      Close: true,
      Priority: false,
      ExternalRef: 'embedded-1',
    });
    expect(number).toBe(SEED.firstNewProcess);
    await connector.close();
    expect(await failure(connector.ping())).toMatchObject({ code: 'SOAP_UNREACHABLE', kind: 'transient' });
  });
});
