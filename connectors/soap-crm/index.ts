// The soap-crm connector: a WSDL-driven SOAP client of a CRM service (fixtures/crm.wsdl by
// default; operation names from SOAP_OPERATIONS, request fields from mappings/soap-crm/).
// Without SOAP_URL it starts its own test peer, so `ponte serve` works out of the box.

import type { ConnectorDeps, ConnectorLogger, ConnectorManifest } from '../../src/connectors/contract.js';
import { configFromEnv, configSchema, operationNames, type SoapCrmConfig } from './config.js';
import { SoapCrmConnector } from './connector.js';
import { SoapCalls } from './soap-call.js';
import type { SoapTarget } from './soap-client.js';

export type { SoapCrmConfig } from './config.js';

/** Wires one connector against a service; `onClose` stops what was started for it (the peer). */
export function createSoapCrmConnector(config: SoapCrmConfig & { endpoint: string }, log: ConnectorLogger, onClose?: () => Promise<void>): SoapCrmConnector {
  const target: SoapTarget = {
    wsdl: config.wsdl,
    endpoint: config.endpoint,
    auth: config.auth,
    timeoutMs: config.timeoutMs,
    namespace: config.mappingNamespace,
  };
  return new SoapCrmConnector(new SoapCalls(target, operationNames(config), log), onClose);
}

async function create(config: SoapCrmConfig, deps: ConnectorDeps): Promise<SoapCrmConnector> {
  if (config.endpoint) return createSoapCrmConnector({ ...config, endpoint: config.endpoint }, deps.log);
  // Loaded only here: production never loads the peer. The peer serves the bundled WSDL, so it is
  // what the connector reads (whatever SOAP_WSDL, SOAP_OPERATIONS say), with the peer's own credentials.
  const { startSoapCrmPeer } = await import('./peer/server.js');
  const credentials = { username: 'ponte', password: 'peer-sandbox' };
  const peer = await startSoapCrmPeer({ auth: { type: 'wsse', ...credentials } });
  deps.log.info({ url: peer.url }, 'SOAP_URL is not set: using the built-in SOAP CRM peer');
  return createSoapCrmConnector(
    { ...config, wsdl: peer.wsdlUrl, endpoint: peer.url, auth: { type: 'wsse', ...credentials }, mappingNamespace: undefined, operations: {} },
    deps.log,
    () => peer.close(),
  );
}

export const manifest: ConnectorManifest<SoapCrmConfig> = {
  name: 'soap-crm',
  description: 'A CRM service over SOAP 1.1 (WSDL-driven, WS-Security or basic auth); built-in test peer when SOAP_URL is unset.',
  configSchema,
  configFromEnv,
  operations: ['createCase', 'addOpinion', 'notify'],
  create,
};
