// OpenTelemetry traces, checked with an in-memory exporter: one traceparent from the
// helpdesk's POST /v1/sessions through the HTTP server span, the job attempt and the ERP
// client span to the ERP request's own headers, on to the webhook the outcome triggers; an
// SMTP send in the trace of the request that caused it; and the standard OTEL_* variables.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { SpanKind } from '@opentelemetry/api';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { startSmtpSink, type SmtpSink } from '../mail/smtp-sink.js';
import { returnBody, seedReturnTeam } from '../returns/fixtures.js';
import { createTracing, TRACING_OFF } from '../../src/telemetry/tracing.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const HELPDESK_SPAN = 'b7ad6b7169203331';

const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

describe('traces (in-memory exporter)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let receiver: Receiver;
  let smtp: SmtpSink;
  const exporter = new InMemorySpanExporter();
  const spans = () => exporter.getFinishedSpans();

  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    receiver = await startReceiver([200]);
    smtp = await startSmtpSink();
    p = await startPonte('postgres', {
      env: { ...s.env, BIMER_TIMEOUT_MS: '5000', PONTE_WEBHOOK_ALLOW_PRIVATE: 'true', SMTP_URL: smtp.url, PUBLIC_URL: 'https://ponte.example' },
      tracing: await createTracing({}, exporter),
    });
    await seedReturnTeam(p.app);
  });
  afterAll(async () => {
    await p?.close();
    await Promise.all([erp?.close(), receiver?.close(), smtp?.close()]);
  });

  it('follows one traceparent from POST /v1/sessions to the ERP request\'s headers, and on to the webhook', async () => {
    const hook = await p.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth('admin'), payload: { url: receiver.url, events: ['integration.succeeded'] } });
    expect(hook.statusCode).toBeLessThan(300);
    const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...auth('helpdesk'), traceparent: `00-${TRACE}-${HELPDESK_SPAN}-01` }, payload: session() });
    expect(res.statusCode).toBe(202);
    const id = res.json().integrations[0].id as string;
    await eventually(async () => receiver.requests.some((r) => r.body.includes(id)), 'the integration.succeeded webhook');

    const server = await eventually(async () => spans().find((s) => s.name === 'POST /v1/sessions'), 'the server span');
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.spanContext().traceId).toBe(TRACE);
    expect(parentOf(server)).toBe(HELPDESK_SPAN);
    expect(server.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/v1/sessions', 'http.response.status_code': 202 });

    // A span is exported when it ends: the job's ends after its ERP call and its webhook enqueue.
    const job = await eventually(async () => spans().find((s) => s.name === 'process integrations' && parentOf(s) === idOf(server)), 'the job span');
    expect(job.kind).toBe(SpanKind.CONSUMER);
    expect(job.attributes).toMatchObject({ 'messaging.system': 'bullmq', 'messaging.message.id': id, 'ponte.job.attempt': 1 });

    const create = spans().find((s) => s.name === 'erp createCase' && parentOf(s) === idOf(job))!;
    expect(create.kind).toBe(SpanKind.CLIENT);
    expect(create.attributes).toMatchObject({ 'ponte.erp.operation': 'createCase', 'ponte.erp.connector': 'bimer' });
    // What the ERP itself received: the same trace, with ponte's client span as its parent.
    const erpRequest = erp.state.requests.find((r) => r.method === 'POST' && r.url === '/api/crm/atendimentos' && r.traceparent?.includes(TRACE));
    expect(erpRequest?.traceparent).toBe(`00-${TRACE}-${idOf(create)}-01`);

    // The outcome's webhook, delivered by jobs the integration job enqueued, stays in the trace.
    const delivery = receiver.requests.find((r) => r.body.includes(id))!;
    expect(delivery.headers.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    const post = await eventually(async () => spans().find((s) => s.name === 'POST' && s.kind === SpanKind.CLIENT && s.spanContext().traceId === TRACE), 'the webhook client span');
    expect(delivery.headers.traceparent).toBe(`00-${TRACE}-${idOf(post)}-01`);
    expect(post.attributes).toMatchObject({ 'http.response.status_code': 200, 'ponte.webhook.event_type': 'integration.succeeded' });
  });

  it('puts the SMTP send of a return\'s notice in the trace of the request that created the return', async () => {
    const trace = '1bf92f3577b34da6a3ce929d0e0e4736';
    const res = await p.app.inject({ method: 'POST', url: '/v1/returns', headers: { ...auth('helpdesk'), traceparent: `00-${trace}-00f067aa0ba902b7-01` }, payload: returnBody('notice') });
    expect(res.statusCode).toBe(201);
    const send = await eventually(async () => spans().find((s) => s.name === 'smtp send' && s.spanContext().traceId === trace), 'the SMTP client span');
    expect(send.kind).toBe(SpanKind.CLIENT);
    // The job's span ends (and is exported) after the send's.
    const job = await eventually(async () => spans().find((s) => idOf(s) === parentOf(send)), 'the mail job span');
    expect(job.name).toBe('process mail');
    expect(spans().find((s) => idOf(s) === parentOf(job))!.name).toBe('POST /v1/returns');
    expect(smtp.received.length).toBeGreaterThan(0);
  });

  it('marks a failed ERP call as an error with its code', async () => {
    erp.faults.inject({ path: '/api/crm/produtos', action: { type: 'status', status: 503 } });
    await p.deps.connector.listProducts().catch(() => undefined);
    const failed = spans().filter((s) => s.name === 'erp listProducts').at(-1)!;
    expect(failed.status.code).toBe(2);
    expect(failed.attributes['error.type']).toBe('ERP_UNAVAILABLE');
  });
});

describe('tracing configuration (standard OTEL_* variables)', () => {
  it('is off unless an OTLP endpoint is set, and off when the SDK is disabled', async () => {
    expect(await createTracing({})).toBe(TRACING_OFF);
    expect(await createTracing({ OTEL_SERVICE_NAME: 'x' })).toBe(TRACING_OFF);
    expect(await createTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBe(TRACING_OFF);
    expect(await createTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(TRACING_OFF);
  });

  it('exports over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, named by OTEL_SERVICE_NAME', async () => {
    const bodies: Array<{ url: string; body: string; headers: http.IncomingHttpHeaders }> = [];
    const collector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies.push({ url: req.url ?? '', body, headers: req.headers });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      const tracing = await createTracing({
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=k1', OTEL_SERVICE_NAME: 'ponte-test', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=ci',
      });
      expect(tracing.enabled).toBe(true);
      tracing.start('POST /v1/sessions', 'server', {}, { 'http.request.method': 'POST' }).end();
      await tracing.shutdown();
      expect(bodies.map((b) => b.url)).toEqual(['/v1/traces']);
      expect(bodies[0]!.headers['x-collector-key']).toBe('k1');
      const text = bodies[0]!.body;
      expect(text).toContain('POST /v1/sessions');
      expect(text).toContain('ponte-test');
      expect(text).toContain('deployment.environment.name');
    } finally {
      collector.close();
    }
  });
});
