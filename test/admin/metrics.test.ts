import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import { metricsOf } from '../../src/admin/metrics.js';
import { sample } from '../support/metrics.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

describe('Prometheus metrics at /metrics', () => {
  let p: Ponte;
  let other: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('redis', { env: s.env });
    other = await startPonte('embedded', { env: s.env, workers: false, relay: false });
    // Room for a loaded machine: an embedded start (PGlite, every migration) has taken 90 s there.
  }, 180_000);
  afterAll(async () => {
    await Promise.all([p.close(), other.close()]);
    await erp.close();
  });

  const scrape = async (app = p) => {
    const res = await app.app.inject({ method: 'GET', url: '/metrics', headers: auth('admin') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.body;
  };

  it('counts integrations by status, times attempts and requests, and shows queue depth', async () => {
    const posted = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() });
    expect(posted.statusCode).toBe(202);
    const id = posted.json().integrations[0].id;
    await eventually(async () => (await p.deps.db.query("SELECT 1 FROM integrations WHERE id = $1 AND status = 'succeeded'", [id])).rowCount, 'the integration to succeed');
    // The row is marked succeeded just before BullMQ records its job as completed.
    await eventually(async () => (await p.deps.jobs.queue('integrations').getJobCounts('completed')).completed! >= 1, 'the job to complete');
    await p.app.inject({ method: 'GET', url: `/v1/integrations/${id}`, headers: auth('helpdesk') });

    const text = await scrape();
    expect(sample(text, 'ponte_integrations', { status: 'succeeded', connector: 'bimer' })).toBe(1);
    expect(sample(text, 'ponte_integrations', { status: 'failed', connector: 'bimer' })).toBe(0);
    expect(sample(text, 'ponte_integration_attempt_duration_seconds_count', { connector: 'bimer', outcome: 'succeeded' })).toBe(1);
    expect(sample(text, 'ponte_integration_attempts_total', { connector: 'bimer', outcome: 'succeeded' })).toBe(1);
    expect(sample(text, 'ponte_http_request_duration_seconds_count', { method: 'POST', route: '/v1/sessions', status_code: '202' })).toBe(1);
    // The route's pattern, never the id in the URL.
    expect(sample(text, 'ponte_http_request_duration_seconds_count', { method: 'GET', route: '/v1/integrations/:id', status_code: '200' })).toBe(1);
    expect(text).not.toContain(id);
    expect(sample(text, 'ponte_queue_jobs', { queue: 'integrations', state: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'ponte_queue_jobs', { queue: 'admin', state: 'waiting' })).toBe(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('exposes the ERP events counter for the ERP push route, per instance', async () => {
    expect(sample(await scrape(), 'ponte_erp_events_received_total')).toBe(0);
    metricsOf(p.deps).erpEventsReceived.inc(3);
    expect(sample(await scrape(), 'ponte_erp_events_received_total')).toBe(3);
    const elsewhere = await scrape(other);
    expect(sample(elsewhere, 'ponte_erp_events_received_total')).toBe(0);
    expect(sample(elsewhere, 'ponte_http_request_duration_seconds_count', { method: 'POST', route: '/v1/sessions', status_code: '202' })).toBeUndefined();
    expect(sample(elsewhere, 'ponte_queue_jobs', { queue: 'integrations', state: 'waiting' })).toBe(0);
  });

  it('shows the outbox backlog and the age of the oldest unfinished integration', async () => {
    const before = await scrape(other);
    expect(sample(before, 'ponte_outbox_backlog')).toBe(0);
    expect(sample(before, 'ponte_oldest_pending_integration_age_seconds')).toBe(0);
    // No relay and no workers there: the session's jobs wait in the outbox, its integration pending.
    const posted = await other.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() });
    expect(posted.statusCode).toBe(202);
    await other.deps.db.query("UPDATE integrations SET created_at = now() - interval '90 seconds'");
    const after = await scrape(other);
    expect(sample(after, 'ponte_outbox_backlog')).toBe(1); // the integration's job (nobody subscribes to chat.closed: no fan-out)
    expect(sample(after, 'ponte_oldest_pending_integration_age_seconds')).toBeGreaterThanOrEqual(90);
  });
});
