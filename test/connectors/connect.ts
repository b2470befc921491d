// Builds the connector of a mapping set from settings, as `ponte serve` does from the
// environment: the one way every connector test reaches an ERP peer.

import type { ConnectorLogger, ErpConnector } from '../../src/connectors/contract.js';
import { createConnector, loadConnectorSet } from '../../src/connectors/registry.js';

export interface LogLine { level: string; obj: object; msg?: string }

export function recordingLogger(lines: LogLine[] = []): ConnectorLogger & { lines: LogLine[] } {
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export async function connect(set: string, env: Record<string, string | undefined>, options: { log?: ConnectorLogger; now?: () => number; dir?: string } = {}): Promise<ErpConnector> {
  return createConnector(await loadConnectorSet(set, options.dir), { env, log: options.log ?? recordingLogger(), now: options.now });
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
