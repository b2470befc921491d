// The OpenTelemetry SDK behind src/telemetry/tracing.ts, loaded only when traces are on. It
// reads the standard variables from the environment it is given: OTEL_EXPORTER_OTLP_[TRACES_]
// ENDPOINT, _HEADERS, _TIMEOUT, _COMPRESSION, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
// OTEL_TRACES_SAMPLER(_ARG) and OTEL_BSP_* (batching). Export is OTLP/HTTP (JSON); propagation
// W3C Trace Context. No global provider or context manager is registered: spans are parented
// explicitly from the carried traceparent, so several ponte instances can share a process.

import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, SimpleSpanProcessor, TraceIdRatioBasedSampler, TracerProvider,
  type Sampler, type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Carrier } from './correlation.js';
import type { Attributes, SpanHandle, SpanKindName, Tracing } from './tracing.js';

const KINDS: Record<SpanKindName, SpanKind> = { server: SpanKind.SERVER, client: SpanKind.CLIENT, consumer: SpanKind.CONSUMER, internal: SpanKind.INTERNAL };

function ratio(env: NodeJS.ProcessEnv): number {
  const r = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1');
  return Number.isFinite(r) && r >= 0 && r <= 1 ? r : 1;
}

/** OTEL_TRACES_SAMPLER as the specification names them; the default is parentbased_always_on. */
function samplerFrom(env: NodeJS.ProcessEnv): Sampler {
  switch (env.OTEL_TRACES_SAMPLER) {
    case 'always_on': return new AlwaysOnSampler();
    case 'always_off': return new AlwaysOffSampler();
    case 'traceidratio': return new TraceIdRatioBasedSampler(ratio(env));
    case 'parentbased_always_off': return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio': return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio(env)) });
    default: return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

function positive(raw: string | undefined): number | undefined {
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** `k1=v1,k2=v2` with percent-encoded values (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES). */
function keyValues(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    try {
      out[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      // A malformed pair is skipped, as the specification asks.
    }
  }
  return out;
}

function exporterFrom(env: NodeJS.ProcessEnv): OTLPTraceExporter {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const timeout = positive(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? env.OTEL_EXPORTER_OTLP_TIMEOUT);
  const compression = env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION ?? env.OTEL_EXPORTER_OTLP_COMPRESSION;
  return new OTLPTraceExporter({
    url: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${base}/v1/traces`,
    headers: { ...keyValues(env.OTEL_EXPORTER_OTLP_HEADERS), ...keyValues(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) },
    ...(timeout ? { timeoutMillis: timeout } : {}),
    ...(compression === 'gzip' || compression === 'none' ? { compression: compression as never } : {}),
  });
}

function cleanAttributes(attributes: Attributes | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(attributes ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

export function startOtel(env: NodeJS.ProcessEnv, testExporter?: SpanExporter): Tracing {
  // Later merges win: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES over ponte's defaults.
  const resource = defaultResource().merge(resourceFromAttributes({
    'service.name': 'ponte',
    ...keyValues(env.OTEL_RESOURCE_ATTRIBUTES),
    ...(env.OTEL_SERVICE_NAME ? { 'service.name': env.OTEL_SERVICE_NAME } : {}),
  }));
  const processor = testExporter
    ? new SimpleSpanProcessor({ exporter: testExporter })
    : new BatchSpanProcessor({
      exporter: exporterFrom(env),
      scheduledDelayMillis: positive(env.OTEL_BSP_SCHEDULE_DELAY),
      exportTimeoutMillis: positive(env.OTEL_BSP_EXPORT_TIMEOUT),
      maxQueueSize: positive(env.OTEL_BSP_MAX_QUEUE_SIZE),
      maxExportBatchSize: positive(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE),
    });
  const provider = new TracerProvider({ resource, sampler: samplerFrom(env), spanProcessors: [processor] });
  const tracer = provider.getTracer('ponte');
  const propagator = new W3CTraceContextPropagator();

  const handle = (span: Span): SpanHandle => {
    const carrier: Carrier = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
    return {
      carrier,
      setAttributes: (attributes) => span.setAttributes(cleanAttributes(attributes)),
      end(error?: unknown) {
        if (error !== undefined) {
          const e = error as { code?: unknown; name?: string; message?: string };
          span.setAttribute('error.type', typeof e?.code === 'string' ? e.code : e?.name ?? 'Error');
          span.setStatus({ code: SpanStatusCode.ERROR, message: e?.message });
        }
        span.end();
      },
    };
  };

  return {
    enabled: true,
    start(name, kind, parent, attributes) {
      const context = parent.traceparent ? propagator.extract(ROOT_CONTEXT, parent, defaultTextMapGetter) : ROOT_CONTEXT;
      return handle(tracer.startSpan(name, { kind: KINDS[kind], attributes: cleanAttributes(attributes) }, context));
    },
    shutdown: () => provider.shutdown(),
  };
}
