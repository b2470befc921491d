// Starts the Bimer sandbox on a free loopback port and a connector pointed at it, recording
// every trace and log line, so a test can look at both sides of each exchange.

import type { CallContext, ConnectorExchange, ConnectorLogger } from '../../../src/connectors/contract.js';
import type { Credentials } from '../../../connectors/bimer/auth.js';
import { createBimerConnector } from '../../../connectors/bimer/index.js';
import type { BimerConnector } from '../../../connectors/bimer/operations.js';
import { SANDBOX_CREDENTIALS, startBimerSandbox, type BimerSandbox, type SandboxOptions } from '../../../connectors/bimer/sandbox/server.js';

export interface LogLine { level: string; obj: object; msg?: string }

export function recordingLogger(lines: LogLine[] = []): ConnectorLogger & { lines: LogLine[] } {
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface Harness {
  sandbox: BimerSandbox;
  connector: BimerConnector;
  traces: ConnectorExchange[];
  ctx: CallContext;
  log: ReturnType<typeof recordingLogger>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  sandbox?: SandboxOptions;
  timeoutMs?: number;
  /** What the connector sends (the sandbox expects SANDBOX_CREDENTIALS unless told otherwise). */
  credentials?: Partial<Credentials>;
  now?: () => number;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = await startBimerSandbox(options.sandbox);
  const log = recordingLogger();
  const traces: ConnectorExchange[] = [];
  const connector = createBimerConnector(
    { url: sandbox.url, timeoutMs: options.timeoutMs ?? 5000, credentials: { ...SANDBOX_CREDENTIALS, ...options.credentials } },
    log,
    { now: options.now },
  );
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

/** The rejection of a promise that must fail, for assertions on its fields. */
export async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail, it succeeded');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
