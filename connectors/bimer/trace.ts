// Records one ERP exchange through ctx.trace, redacted: the exchanges are stored with the
// integration attempt and shown to admins, so no password, client secret or token may reach them.

import type { CallContext, ConnectorExchange, ConnectorLogger } from '../../src/connectors/contract.js';

export const REDACTED = '[redacted]';

/** Keys whose values are secrets wherever they appear (token form, token answer, headers). */
const SECRET_KEY = /^(password|senha|client_secret|access_token|refresh_token|authorization|id_token)$|secret|password/i;

/** Long bodies (an HTML error page, a long transcript) are cut: the trace is for diagnosis. */
const MAX_TEXT = 2000;

export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}… [${value.length - MAX_TEXT} more characters]` : value;
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof URLSearchParams) return redact(Object.fromEntries(value));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v)]));
  }
  return value;
}

export interface ExchangeSeen {
  operation: string;
  method: string;
  path: string;
  body?: unknown;
  status?: number;
  response?: unknown;
  /** The network error code when no answer came. */
  error?: string;
  durationMs: number;
}

export function recordExchange(ctx: CallContext | undefined, log: ConnectorLogger, seen: ExchangeSeen): void {
  const exchange: ConnectorExchange = {
    operation: seen.operation,
    request: redact({ method: seen.method, path: seen.path, ...(seen.body === undefined ? {} : { body: seen.body }) }),
    response: seen.error ? { error: seen.error } : redact(seen.response),
    status: seen.status,
    durationMs: Math.round(seen.durationMs),
  };
  (ctx?.log ?? log).debug(
    { operation: seen.operation, method: seen.method, path: seen.path, status: seen.status, error: seen.error, durationMs: exchange.durationMs },
    'bimer exchange',
  );
  if (!ctx?.trace) return;
  try {
    ctx.trace(exchange);
  } catch (err) {
    // A failing recorder must not turn a successful ERP write into a retried (duplicated) one.
    (ctx.log ?? log).warn({ err, operation: seen.operation }, 'recording the ERP exchange failed');
  }
}
