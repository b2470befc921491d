// The built-in SOAP CRM peer as a stand-in ERP: the `soap-crm` mapping set (mappings/soap-crm/)
// starts it when SOAP_URL is unset, so `ponte serve` works out of the box.

import type { SandboxStarter } from '../../src/connectors/kinds.js';

export const sandbox: SandboxStarter = async (log) => {
  // Loaded only here: production never loads the peer. It serves its WSDL with its own credentials.
  const { startSoapCrmPeer } = await import('./peer/server.js');
  const credentials = { username: 'ponte', password: 'peer-sandbox' };
  const peer = await startSoapCrmPeer({ auth: { type: 'wsse', ...credentials } });
  log.info({ url: peer.url }, 'SOAP_URL is not set: using the built-in SOAP CRM peer');
  return { settings: { url: peer.url, wsdl: peer.wsdlUrl, auth: 'wsse', passwordType: 'PasswordText', namespace: undefined, ...credentials }, close: () => peer.close() };
};
