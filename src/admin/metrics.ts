// Prometheus metrics, one registry per Deps (not prom-client's global one, so tests can run
// several ponte instances in one process). Gauges are computed at scrape time from the
// database and the job backend; counters and histograms are fed where things happen:
//   metricsOf(deps).observeAttempt(...)      the integration worker, after each attempt
//   metricsOf(deps).erpEventsReceived.inc(n) the ERP events route, per accepted event
//   metricsOf(deps).observeHttp(...)         the HTTP onResponse hook (src/http/metrics.ts)
//   metricsOf(deps).observeWebhook(...)      the webhook delivery job, after each attempt
//   metricsOf(deps).observeMail(...)         the mail job, after each send (or keep)
//   every ERP call                           through deps.erpCallListeners (src/telemetry/erp-calls.ts)

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Deps } from '../deps.js';
import { QUEUES } from '../jobs/queues.js';
import { STATUSES } from './filter.js';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class Metrics {
  readonly registry = new Registry();
  /** ERP pushes accepted at POST /v1/erp/events: call `.inc(n)` with the number of events. */
  readonly erpEventsReceived: Counter;
  readonly attemptDuration: Histogram<'connector' | 'outcome'>;
  readonly attemptOutcomes: Counter<'connector' | 'outcome' | 'error_code'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly erpCallDuration: Histogram<'connector' | 'operation' | 'outcome'>;
  readonly webhookDeliveries: Counter<'outcome'>;
  readonly webhookDuration: Histogram<'outcome'>;
  readonly mailSends: Counter<'outcome'>;

  constructor(deps: Deps) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.erpEventsReceived = new Counter({ name: 'ponte_erp_events_received_total', help: 'ERP events received (delinquency, product versions).', registers });
    this.attemptDuration = new Histogram({ name: 'ponte_integration_attempt_duration_seconds', help: 'Duration of integration attempts, by outcome.', labelNames: ['connector', 'outcome'], buckets: SECONDS, registers });
    this.attemptOutcomes = new Counter({ name: 'ponte_integration_attempts_total', help: 'Integration attempts by outcome (succeeded, retrying, failed, dead) and error code (empty on success).', labelNames: ['connector', 'outcome', 'error_code'], registers });
    this.httpDuration = new Histogram({ name: 'ponte_http_request_duration_seconds', help: 'HTTP request durations, by route and status.', labelNames: ['method', 'route', 'status_code'], buckets: SECONDS, registers });
    this.erpCallDuration = new Histogram({ name: 'ponte_erp_call_duration_seconds', help: 'ERP calls by connector operation and outcome (ok, transient, permanent, error).', labelNames: ['connector', 'operation', 'outcome'], buckets: SECONDS, registers });
    this.webhookDeliveries = new Counter({ name: 'ponte_webhook_deliveries_total', help: 'Webhook delivery attempts by outcome: delivered, retrying (tried again later), failed (given up).', labelNames: ['outcome'], registers });
    this.webhookDuration = new Histogram({ name: 'ponte_webhook_delivery_duration_seconds', help: 'Webhook delivery attempts, by outcome.', labelNames: ['outcome'], buckets: SECONDS, registers });
    this.mailSends = new Counter({ name: 'ponte_mail_total', help: 'E-mails by outcome: sent (SMTP accepted), kept (no SMTP_URL: local outbox), retrying, failed.', labelNames: ['outcome'], registers });
    deps.erpCallListeners.push((call) => this.erpCallDuration.observe({ connector: deps.connector.name, operation: call.operation, outcome: call.outcome }, call.durationMs / 1000));

    new Gauge({
      name: 'ponte_erp_up',
      help: 'Whether the ERP answers (1) or is degraded (0): from its calls, with a ping when the last one is old.',
      labelNames: ['connector'],
      registers,
      async collect() {
        const erp = await deps.erp.current();
        this.set({ connector: deps.connector.name }, erp.state === 'degraded' ? 0 : 1);
      },
    });

    new Gauge({
      name: 'ponte_integrations',
      help: 'Integrations by status and connector (from the database at scrape time).',
      labelNames: ['status', 'connector'],
      registers,
      async collect() {
        const { rows } = await deps.db.query<{ status: string; connector: string; n: string }>('SELECT status, connector, count(*) AS n FROM integrations GROUP BY status, connector');
        this.reset();
        // Every status of the configured connector is present, so a rate or an alert sees 0, not "no data".
        for (const status of STATUSES) this.set({ status, connector: deps.connector.name }, 0);
        for (const r of rows) this.set({ status: r.status, connector: r.connector }, Number(r.n));
      },
    });
    new Gauge({
      name: 'ponte_outbox_backlog',
      help: 'Outbox jobs written but not yet added to the job backend (grows while Redis or the backend is down).',
      registers,
      async collect() {
        const { rows } = await deps.db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE dispatched_at IS NULL');
        this.set(Number(rows[0]!.n));
      },
    });
    new Gauge({
      name: 'ponte_oldest_pending_integration_age_seconds',
      help: 'Age of the oldest integration not yet finished (pending or running); 0 when none: alert when it grows.',
      registers,
      async collect() {
        const { rows } = await deps.db.query<{ age: number | null }>(
          "SELECT extract(epoch FROM now() - min(created_at))::float8 AS age FROM integrations WHERE status IN ('pending', 'running')",
        );
        this.set(Math.max(0, rows[0]?.age ?? 0));
      },
    });
    new Gauge({
      name: 'ponte_queue_jobs',
      help: 'Jobs per queue and state (from the job backend at scrape time).',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const queue of Object.values(QUEUES)) {
          try {
            const counts = await deps.jobs.queue(queue).getJobCounts();
            for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, Number(n));
          } catch (err) {
            // A scrape while the backend is down still answers; the missing series say it.
            deps.log.warn({ err, queue }, 'queue depth unavailable for /metrics');
          }
        }
      },
    });
  }

  observeAttempt(connector: string, outcome: string, durationMs: number, errorCode?: string): void {
    this.attemptDuration.observe({ connector, outcome }, durationMs / 1000);
    this.attemptOutcomes.inc({ connector, outcome, error_code: errorCode ?? '' });
  }

  observeWebhook(outcome: 'delivered' | 'retrying' | 'failed', durationMs: number): void {
    this.webhookDeliveries.inc({ outcome });
    this.webhookDuration.observe({ outcome }, durationMs / 1000);
  }

  observeMail(outcome: 'sent' | 'kept' | 'retrying' | 'failed'): void {
    this.mailSends.inc({ outcome });
  }

  observeHttp(method: string, route: string, statusCode: number, durationMs: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, durationMs / 1000);
  }
}

const byDeps = new WeakMap<Deps, Metrics>();

/** The metrics of this ponte instance (created on first use). */
export function metricsOf(deps: Deps): Metrics {
  let metrics = byDeps.get(deps);
  if (!metrics) {
    metrics = new Metrics(deps);
    byDeps.set(deps, metrics);
  }
  return metrics;
}
