// What ties one helpdesk request to everything it causes: its request id and the W3C trace
// context of the span that is current (or, with tracing off, the caller's own traceparent,
// passed on unchanged). Held in AsyncLocalStorage for the request's handler and each job's
// processor; written into job data by the outbox (`correlation`), into every log line
// (src/log.ts), into attempt records, and sent to the ERP and webhook receivers as headers.

import { AsyncLocalStorage } from 'node:async_hooks';

/** W3C Trace Context headers. */
export interface Carrier {
  traceparent?: string;
  tracestate?: string;
}

export interface Correlation {
  requestId?: string;
  carrier: Carrier;
}

/** What travels in job data (the outbox row's payload, key `correlation`). */
export interface JobCorrelation extends Carrier {
  requestId?: string;
}

const storage = new AsyncLocalStorage<Correlation>();

/** version-traceid-parentid-flags, lower-case hex, ids not all zero (W3C Trace Context §3.2). */
const TRACEPARENT = /^00-(?!0{32})([0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
const TRACESTATE_MAX = 512;

export function currentCorrelation(): Correlation | undefined {
  return storage.getStore();
}

export function withCorrelation<T>(correlation: Correlation, fn: () => T): T {
  return storage.run(correlation, fn);
}

/** The valid trace context among these headers (an invalid traceparent starts a new trace). */
export function carrierFrom(headers: Record<string, unknown>): Carrier {
  const traceparent = typeof headers.traceparent === 'string' ? headers.traceparent.trim() : undefined;
  if (!traceparent || !TRACEPARENT.test(traceparent)) return {};
  const tracestate = typeof headers.tracestate === 'string' && headers.tracestate.length <= TRACESTATE_MAX ? headers.tracestate : undefined;
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

export function traceIdOf(carrier: Carrier | undefined): string | undefined {
  return carrier?.traceparent ? TRACEPARENT.exec(carrier.traceparent)?.[1] : undefined;
}

/** The current correlation as job data, or undefined outside any request or job. */
export function jobCorrelation(): JobCorrelation | undefined {
  const c = storage.getStore();
  if (!c) return undefined;
  const out: JobCorrelation = { ...c.carrier };
  if (c.requestId) out.requestId = c.requestId;
  return Object.keys(out).length ? out : undefined;
}

/** Job data with the current correlation added (plain-object data only; outside any request, as is). */
export function withJobCorrelation<T>(data: T): T {
  const correlation = jobCorrelation();
  if (!correlation || data === null || typeof data !== 'object' || Array.isArray(data) || 'correlation' in data) return data;
  return { ...data, correlation };
}

/** The correlation a job carries in its data, checked (job data is not trusted blindly). */
export function correlationOfJob(data: unknown): Correlation {
  const raw = (data as { correlation?: Record<string, unknown> } | null)?.correlation;
  if (!raw || typeof raw !== 'object') return { carrier: {} };
  const requestId = typeof raw.requestId === 'string' && isRequestId(raw.requestId) ? raw.requestId : undefined;
  return { requestId, carrier: carrierFrom(raw) };
}

/** Headers for an outbound call: trace context and request id. */
export function outboundHeaders(carrier: Carrier, requestId?: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (carrier.traceparent) headers.traceparent = carrier.traceparent;
  if (carrier.tracestate) headers.tracestate = carrier.tracestate;
  if (requestId) headers['x-request-id'] = requestId;
  return headers;
}

/** A caller's X-Request-Id is kept when it is short and printable; otherwise ponte makes one. */
const REQUEST_ID = /^[A-Za-z0-9._:/+=@-]{1,128}$/;

export function isRequestId(value: string): boolean {
  return REQUEST_ID.test(value);
}
