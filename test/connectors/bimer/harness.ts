// Starts the Bimer sandbox on a free loopback port and the `bimer` mapping set's connector
// pointed at it, recording every trace and log line, so a test can look at both sides of each exchange.

import type { CallContext, ConnectorExchange, ErpConnector } from '../../../src/connectors/contract.js';
import { SANDBOX_CREDENTIALS, startBimerSandbox, type BimerSandbox, type SandboxCredentials, type SandboxOptions } from '../../../connectors/bimer/sandbox/server.js';
import { connect, recordingLogger } from '../connect.js';

export { failure, recordingLogger } from '../connect.js';

export interface Harness {
  sandbox: BimerSandbox;
  connector: ErpConnector;
  traces: ConnectorExchange[];
  ctx: CallContext;
  log: ReturnType<typeof recordingLogger>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  sandbox?: SandboxOptions;
  timeoutMs?: number;
  /** What the connector sends (the sandbox expects SANDBOX_CREDENTIALS unless told otherwise). */
  credentials?: Partial<SandboxCredentials>;
  now?: () => number;
}

/** The BIMER_* settings that point the bimer set at a URL with these credentials. */
export function bimerEnv(url: string, credentials: Partial<SandboxCredentials> = {}, timeoutMs = 5000): Record<string, string> {
  const c = { ...SANDBOX_CREDENTIALS, ...credentials };
  return { BIMER_URL: url, BIMER_CLIENT_ID: c.clientId, BIMER_CLIENT_SECRET: c.clientSecret, BIMER_USERNAME: c.username, BIMER_PASSWORD: c.password, BIMER_TIMEOUT_MS: String(timeoutMs) };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = await startBimerSandbox(options.sandbox);
  const log = recordingLogger();
  const traces: ConnectorExchange[] = [];
  const connector = await connect('bimer', bimerEnv(sandbox.url, options.credentials, options.timeoutMs), { log, now: options.now });
  return {
    sandbox,
    connector,
    traces,
    log,
    ctx: { trace: (e) => traces.push(e) },
    async close() {
      await connector.close();
      await sandbox.close();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
