// Starts the SOAP CRM peer on a free loopback port and a soap-crm connector pointed at it,
// recording every trace, and watches the process for unhandled rejections and uncaught exceptions.

import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import type { CallContext, ConnectorExchange, ConnectorLogger } from '../../../src/connectors/contract.js';
import { BUNDLED_WSDL, type SoapAuth, type SoapCrmConfig } from '../../../connectors/soap-crm/config.js';
import { createSoapCrmConnector } from '../../../connectors/soap-crm/index.js';
import type { SoapCrmConnector } from '../../../connectors/soap-crm/connector.js';
import { startSoapCrmPeer, type PeerOptions, type SoapCrmPeer } from '../../../connectors/soap-crm/peer/server.js';

export { SEED } from '../../../connectors/soap-crm/peer/server.js';

export const PASSWORD = 'S3cret-peer-pw';
export const WSSE: SoapAuth = { type: 'wsse', username: 'ponte', password: PASSWORD };
export const BASIC: SoapAuth = { type: 'basic', username: 'ponte', password: PASSWORD };

export const silentLog: ConnectorLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface Harness {
  peer: SoapCrmPeer;
  connector: SoapCrmConnector;
  traces: ConnectorExchange[];
  ctx: CallContext;
  /** Another connector against the same peer (other credentials, timeout, operations). */
  connect(config?: Partial<SoapCrmConfig>): SoapCrmConnector;
  close(): Promise<void>;
}

export interface HarnessOptions {
  peer?: PeerOptions;
  /** What the connector sends; WSSE (what the peer expects by default) unless told otherwise. */
  connector?: Partial<SoapCrmConfig>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const peer = await startSoapCrmPeer({ auth: { type: 'wsse', username: 'ponte', password: PASSWORD }, ...options.peer });
  const traces: ConnectorExchange[] = [];
  const opened: SoapCrmConnector[] = [];
  const connect = (config: Partial<SoapCrmConfig> = {}) => {
    const connector = createSoapCrmConnector(
      { wsdl: BUNDLED_WSDL, auth: WSSE, timeoutMs: 5000, operations: {}, ...options.connector, ...config, endpoint: config.endpoint ?? peer.url },
      silentLog,
    );
    opened.push(connector);
    return connector;
  };
  return {
    peer,
    connector: connect(),
    traces,
    ctx: { trace: (e) => traces.push(e) },
    connect,
    async close() {
      await Promise.all(opened.map((c) => c.close()));
      await peer.close();
    },
  };
}

/** The rejection of a promise that must fail, for assertions on its fields. */
export async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
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
