// Starts the SOAP CRM peer on a free loopback port and the `soap-crm` mapping set's connector
// pointed at it, recording every trace, and watches the process for unhandled rejections and
// uncaught exceptions.

import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import type { CallContext, CaseRecord, ConnectorExchange, ErpConnector } from '../../../src/connectors/contract.js';
import { PEER_WSDL, startSoapCrmPeer, type PeerOptions, type SoapCrmPeer, SEED } from '../../../connectors/soap-crm/peer/server.js';
import { connect } from '../connect.js';

export { SEED };
export { failure } from '../connect.js';

export const PASSWORD = 'S3cret-peer-pw';
export const WSSE = { SOAP_AUTH: 'wsse', SOAP_USERNAME: 'ponte', SOAP_PASSWORD: PASSWORD };
export const BASIC = { SOAP_AUTH: 'basic', SOAP_USERNAME: 'ponte', SOAP_PASSWORD: PASSWORD };

export interface Harness {
  peer: SoapCrmPeer;
  connector: ErpConnector;
  traces: ConnectorExchange[];
  ctx: CallContext;
  /** Another connector against the same peer, with these SOAP_* settings changed. */
  connect(env?: Record<string, string>, options?: { dir?: string }): Promise<ErpConnector>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  peer?: PeerOptions;
  /** SOAP_* settings of the connector; WSSE (what the peer expects by default) unless told otherwise. */
  env?: Record<string, string>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const peer = await startSoapCrmPeer({ auth: { type: 'wsse', username: 'ponte', password: PASSWORD }, ...options.peer });
  const traces: ConnectorExchange[] = [];
  const opened: ErpConnector[] = [];
  const open = async (env: Record<string, string> = {}, o: { dir?: string } = {}) => {
    const connector = await connect('soap-crm', { SOAP_URL: peer.url, SOAP_WSDL: PEER_WSDL, SOAP_TIMEOUT_MS: '5000', ...WSSE, ...options.env, ...env }, o);
    opened.push(connector);
    return connector;
  };
  return {
    peer,
    connector: await open(),
    traces,
    ctx: { trace: (e) => traces.push(e) },
    connect: open,
    async close() {
      await Promise.all(opened.map((c) => c.close()));
      await peer.close();
    },
  };
}

let refs = 0;
/** A case record for the peer's seeded catalogue, with a fresh external reference. */
export function caseRecord(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    externalRef: `int-${Date.now()}-${++refs}`,
    clientCode: SEED.clients.padaria,
    productId: SEED.products.erp,
    caseTypeId: SEED.caseTypes.support,
    subject: 'Cliente sem acesso ao PDV',
    opinion: 'Atendimento realizado pelo chat.',
    closeCase: false,
    nextContact: { date: '2025-09-01', userId: SEED.users.ana },
    priority: true,
    ...overrides,
  };
}

/** Fails the test file if the soap library (or the connector) leaks a rejection or an exception. */
export function watchProcess(): void {
  const unhandled = vi.fn();
  const uncaught = vi.fn();
  beforeAll(() => {
    process.on('unhandledRejection', unhandled);
    process.on('uncaughtException', uncaught);
  });
  afterEach(async () => {
    // Rejections are reported after the microtask queue drains.
    await new Promise((resolve) => setImmediate(resolve));
    const leaked = [...unhandled.mock.calls, ...uncaught.mock.calls].map(([reason]) => reason);
    unhandled.mockClear();
    uncaught.mockClear();
    expect(leaked).toEqual([]);
  });
  afterAll(() => {
    process.off('unhandledRejection', unhandled);
    process.off('uncaughtException', uncaught);
  });
}
