// Records one SOAP exchange through ctx.trace, redacted: exchanges are stored with the integration
// attempt and shown to admins, so no password, WS-Security token or Authorization header may reach
// them — not even when a service echoes the request back inside a fault.

import type { CallContext, ConnectorExchange, ConnectorLogger } from '../../src/connectors/contract.js';

export const REDACTED = '[redacted]';

const SECRET_KEY = /password|secret|token|authorization|nonce/i;
const PASSWORD_ELEMENT = /(<(?:[\w.-]+:)?Password\b[^>]*>)[\s\S]*?(<\/(?:[\w.-]+:)?Password>)/g;
const BASIC_CREDENTIALS = /\bBasic\s+[A-Za-z0-9+/=]{4,}/g;
/** Long bodies (an HTML error page) are cut: the trace is for diagnosis. */
const MAX_TEXT = 2000;

export type Redact = (value: unknown) => unknown;

/** A redactor that also blanks the configured secrets wherever they appear verbatim. */
export function redactor(secrets: readonly string[]): Redact {
  const known = secrets.filter((s) => s.length > 0);
  const text = (s: string): string => {
    let out = s.replace(PASSWORD_ELEMENT, `$1${REDACTED}$2`).replace(BASIC_CREDENTIALS, `Basic ${REDACTED}`);
    for (const secret of known) out = out.split(secret).join(REDACTED);
    return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT)}… [${out.length - MAX_TEXT} more characters]` : out;
  };
  const redact: Redact = (value) => {
    if (typeof value === 'string') return text(value);
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (Array.isArray(value)) return value.map(redact);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v)]));
    }
    return value;
  };
  return redact;
}

export interface ExchangeSeen {
  /** The SOAP operation called. */
  operation: string;
  endpoint: string;
  args: unknown;
  status?: number;
  /** The parsed answer on success. */
  result?: unknown;
  /** On failure: the stable code and the raw answer, if any came. */
  error?: { code: string; message: string; body?: string };
  durationMs: number;
}

export function recordExchange(ctx: CallContext | undefined, log: ConnectorLogger, redact: Redact, seen: ExchangeSeen): void {
  const exchange: ConnectorExchange = {
    operation: seen.operation,
    request: redact({ endpoint: seen.endpoint, args: seen.args }),
    response: redact(seen.error ?? seen.result ?? null),
    status: seen.status,
    durationMs: Math.round(seen.durationMs),
  };
  (ctx?.log ?? log).debug(
    { operation: seen.operation, status: seen.status, error: seen.error?.code, durationMs: exchange.durationMs },
    'soap-crm exchange',
  );
  if (!ctx?.trace) return;
  try {
    ctx.trace(exchange);
  } catch (err) {
    // A failing trace sink must not turn a successful ERP write into a retried one.
    (ctx.log ?? log).warn({ err, operation: seen.operation }, 'recording the SOAP exchange failed');
  }
}
