// X-Request-Id: taken from the helpdesk (or made), returned on every answer, and carried with
// the work the request causes — job data (through the outbox), log lines, attempt records and
// the ERP's requests. With tracing off, the caller's traceparent is passed on unchanged.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Writable } from 'node:stream';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import { createLogger } from '../../src/log.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids and correlation (tracing off)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l)); done(); } });
    p = await startPonte('postgres', { env: { ...s.env, BIMER_TIMEOUT_MS: '5000' }, log: createLogger('info', sink) });
  });
  afterAll(async () => {
    await p?.close();
    await erp?.close();
  });

  it('returns the caller\'s X-Request-Id on every answer — success, 400, 401, 404 — and makes one otherwise', async () => {
    const answers = await Promise.all([
      p.app.inject({ url: '/health', headers: { 'x-request-id': 'probe-1' } }),
      p.app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...auth('helpdesk'), 'x-request-id': 'bad-1' }, payload: { externalId: 'x' } }),
      p.app.inject({ method: 'POST', url: '/v1/sessions', headers: { 'x-request-id': 'anon-1' }, payload: {} }),
      p.app.inject({ url: '/v1/nowhere', headers: { ...auth('helpdesk'), 'x-request-id': 'lost-1' } }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 400, 401, 404]);
    expect(answers.map((a) => a.headers['x-request-id'])).toEqual(['probe-1', 'bad-1', 'anon-1', 'lost-1']);

    const none = await p.app.inject('/health');
    expect(none.headers['x-request-id']).toMatch(UUID);
    // Too long, or with spaces (log injection): replaced, never echoed.
    for (const given of ['x'.repeat(200), 'a b\nc']) {
      const res = await p.app.inject({ url: '/health', headers: { 'x-request-id': given } });
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
  });

  it('carries the request id into the job, its attempts, its log lines and the ERP requests, with the traceparent passed on', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...auth('helpdesk'), 'x-request-id': 'desk-req-42', traceparent: TRACEPARENT }, payload: session() });
    expect(res.statusCode).toBe(202);
    expect(res.headers['x-request-id']).toBe('desk-req-42');
    const id = res.json().integrations[0].id as string;
    const detail = await eventually(async () => {
      const d = (await p.app.inject({ url: `/v1/admin/integrations/${id}`, headers: auth('admin') })).json();
      return d.status === 'succeeded' ? d : undefined;
    }, 'the integration to succeed');

    const { rows } = await p.deps.db.query('SELECT payload FROM outbox WHERE job_id = $1', [id]);
    expect(rows[0]!.payload.correlation).toEqual({ requestId: 'desk-req-42', traceparent: TRACEPARENT });
    expect(detail.attemptsLog.map((a: { requestId: string; traceId: string }) => [a.requestId, a.traceId])).toEqual([['desk-req-42', '4bf92f3577b34da6a3ce929d0e0e4736']]);

    const erpCalls = erp.state.requests.filter((r) => r.requestId === 'desk-req-42');
    expect(erpCalls.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual(expect.arrayContaining(['POST /api/crm/atendimentos']));
    expect(new Set(erpCalls.map((r) => r.traceparent))).toEqual(new Set([TRACEPARENT]));

    // The worker logs its outcome just after recording it.
    const jobLines = await eventually(async () => {
      const found = lines.filter((l) => l.integrationId === id);
      return found.some((l) => l.msg === 'integration succeeded') ? found : undefined;
    }, 'the worker\'s log line');
    expect(jobLines.every((l) => l.requestId === 'desk-req-42' && l.traceId === '4bf92f3577b34da6a3ce929d0e0e4736')).toBe(true);
    const httpLines = lines.filter((l) => l.requestId === 'desk-req-42' && l.component === 'http');
    expect(httpLines.map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
    // One requestId key per line, even on the request's own logger.
    expect(JSON.stringify(httpLines[0]).match(/"requestId"/g)).toHaveLength(1);
  });
});
