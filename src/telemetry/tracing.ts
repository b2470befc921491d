// Traces, when configured: OpenTelemetry spans for HTTP requests (server), job attempts
// (consumer), ERP calls, webhook deliveries and SMTP sends (client), exported over OTLP/HTTP.
// Off unless OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; then
// the SDK is loaded (src/telemetry/otel.ts), never before, so an untraced ponte pays for
// nothing but passing the caller's traceparent on.

import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { currentCorrelation, withCorrelation, type Carrier } from './correlation.js';

export type SpanKindName = 'server' | 'client' | 'consumer' | 'internal';
export type Attributes = Record<string, string | number | boolean | undefined>;

export interface SpanHandle {
  /** Headers naming this span as the parent; with tracing off, the parent's own headers. */
  readonly carrier: Carrier;
  setAttributes(attributes: Attributes): void;
  /** Ends the span; an error marks it failed (its code becomes `error.type`). */
  end(error?: unknown): void;
}

export interface Tracing {
  readonly enabled: boolean;
  start(name: string, kind: SpanKindName, parent: Carrier, attributes?: Attributes): SpanHandle;
  /** Flushes what is not exported yet. */
  shutdown(): Promise<void>;
}

const passThrough = (carrier: Carrier): SpanHandle => ({ carrier, setAttributes: () => undefined, end: () => undefined });

/** No spans: the parent's trace context is passed on unchanged (W3C: a non-participating hop). */
export const TRACING_OFF: Tracing = {
  enabled: false,
  start: (_name, _kind, parent) => passThrough(parent),
  shutdown: async () => undefined,
};

/** Whether the standard variables ask for traces. */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Tracing as the environment configures it; `exporter` (tests: an in-memory exporter)
 * turns it on whatever the environment says, exporting each span as it ends.
 */
export async function createTracing(env: NodeJS.ProcessEnv, exporter?: SpanExporter): Promise<Tracing> {
  if (!exporter && !tracingRequested(env)) return TRACING_OFF;
  const { startOtel } = await import('./otel.js');
  return startOtel(env, exporter);
}

/**
 * Runs `fn` inside a span that is a child of the current correlation's span; inside `fn` the
 * new span is current (what `fn` calls or enqueues names it as parent).
 */
export async function inSpan<T>(tracing: Tracing, name: string, kind: SpanKindName, attributes: Attributes, fn: (span: SpanHandle) => Promise<T>): Promise<T> {
  const outer = currentCorrelation();
  const span = tracing.start(name, kind, outer?.carrier ?? {}, attributes);
  try {
    const result = await withCorrelation({ requestId: outer?.requestId, carrier: span.carrier }, () => fn(span));
    span.end();
    return result;
  } catch (err) {
    span.end(err);
    throw err;
  }
}
