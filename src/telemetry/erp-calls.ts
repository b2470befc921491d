// Every ERP call as the engine makes it, whichever connector: a client span (its traceparent
// and the request id go to the ERP in CallContext.headers, which every transport sends), the
// call's duration by operation and outcome for /metrics, and its outcome for the ERP's state.

import type { CallContext, ConnectorCall, ErpConnector } from '../connectors/contract.js';
import { ConnectorError } from '../errors.js';
import { currentCorrelation, outboundHeaders, withCorrelation } from './correlation.js';
import type { Tracing } from './tracing.js';

export interface ErpCallRecord {
  operation: string;
  durationMs: number;
  /** `ok`, or the failure's kind: `transient` | `permanent` | `error` (not a ConnectorError). */
  outcome: 'ok' | 'transient' | 'permanent' | 'error';
  errorCode?: string;
  error?: unknown;
}

export type ErpCallListener = (call: ErpCallRecord) => void;

/** Where each call's CallContext is among its arguments (the last, optional one). */
const CONTEXT_AT: Record<ConnectorCall | 'ping', number> = {
  getClient: 1, listProducts: 0, listCaseTypes: 0, listUsers: 0, listResponsibilityCenters: 0, getProcess: 1,
  listClientProducts: 1, listCriticalFactors: 1, getMarkers: 1, listProductVersions: 1, findCaseByExternalRef: 1, hasOpinion: 2, findNotification: 2,
  createCase: 1, addOpinion: 1, notify: 1, updateProcess: 1, ping: 0,
};

function outcomeOf(err: unknown): Pick<ErpCallRecord, 'outcome' | 'errorCode'> {
  if (err instanceof ConnectorError) return { outcome: err.kind, errorCode: err.code };
  return { outcome: 'error', errorCode: (err as { code?: unknown })?.code === undefined ? 'INTERNAL' : String((err as { code: unknown }).code) };
}

/** `connector` with every ERP call traced, timed and reported to `listeners`. */
export function observeConnector(connector: ErpConnector, tracing: Tracing, listeners: ErpCallListener[]): ErpConnector {
  // Typed so that a member added to the contract is either a call above or delegated here.
  const delegated: Omit<ErpConnector, ConnectorCall | 'ping'> = {
    name: connector.name,
    get capabilities() {
      return connector.capabilities;
    },
    dryRun: connector.dryRun.bind(connector),
    close: () => connector.close(),
  };
  const observed = delegated as unknown as Record<string, unknown>;
  for (const [operation, at] of Object.entries(CONTEXT_AT)) {
    const calls = connector as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    observed[operation] = async (...args: unknown[]) => {
      const outer = currentCorrelation();
      const span = tracing.start(`erp ${operation}`, 'client', outer?.carrier ?? {}, { 'ponte.erp.connector': connector.name, 'ponte.erp.operation': operation });
      const ctx = (args[at] as CallContext | undefined) ?? {};
      const withHeaders: CallContext = { ...ctx, headers: { ...ctx.headers, ...outboundHeaders(span.carrier, outer?.requestId) } };
      const callArgs = [...args];
      callArgs[at] = withHeaders;
      const started = performance.now();
      const report = (err?: unknown) => {
        const record: ErpCallRecord = { operation, durationMs: performance.now() - started, outcome: 'ok', ...(err === undefined ? {} : { ...outcomeOf(err), error: err }) };
        for (const listener of listeners) listener(record);
      };
      try {
        const result = await withCorrelation({ requestId: outer?.requestId, carrier: span.carrier }, () => calls[operation]!(...callArgs));
        span.end();
        report();
        return result;
      } catch (err) {
        span.end(err);
        report(err);
        throw err;
      }
    };
  }
  return observed as unknown as ErpConnector;
}
