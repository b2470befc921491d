// The `deliver` job: POSTs one event to one subscription, signed with Standard Webhooks
// (webhook-id = event id, so receivers dedupe), records the attempt, and lets BullMQ retry on
// the Svix-like schedule. A subscription failing for 5 days in a row is disabled.

import { UnrecoverableError, type Job } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { PonteError } from '../errors.js';
import { webhookScheduleDelay } from '../jobs/backoff.js';
import { checkDestinationUrl } from '../domain/webhook-destination.js';
import { disabledReason, isDelivered, shouldDisable } from '../domain/webhook-health.js';
import { publicOnlyLookup } from './destination.js';
import { postJson, type PostResult } from './post.js';
import { inSpan } from '../telemetry/tracing.js';
import { currentCorrelation, outboundHeaders, traceIdOf } from '../telemetry/correlation.js';
import { metricsOf } from '../admin/metrics.js';
import {
  disableSubscription, getDelivery, getSubscription, insertAttempt, markSubscriptionFailure, markSubscriptionSuccess,
  updateDelivery, type DeliveryRow, type SubscriptionRow,
} from './store.js';

export const DELIVERY_TIMEOUT_MS = 10_000;

export interface DeliverJob { deliveryId: string }

/** A failed attempt to retry; `retryDelayMs` is the (scaled) schedule step BullMQ waits. */
export class WebhookAttemptError extends PonteError {
  constructor(message: string, readonly retryDelayMs: number) {
    super('WEBHOOK_ATTEMPT_FAILED', message, { status: 502, retryable: true });
  }
}

function failureOf(err: unknown): { code: string; message: string } {
  const e = err as { code?: string; name?: string; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { code: 'TIMEOUT', message: `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` };
  return { code: e?.code ?? 'REQUEST_FAILED', message: e?.message ?? String(err) };
}

async function send(deps: Deps, sub: SubscriptionRow, row: DeliveryRow, at: Date): Promise<PostResult> {
  const allowPrivate = deps.config.webhookAllowPrivate;
  const { destination, problems } = checkDestinationUrl(sub.url, allowPrivate, deps.config.webhookAllowPorts);
  if (!destination) throw new PonteError('DESTINATION_REFUSED', problems.map((p) => p.message).join('; '), { status: 502 });
  const body = JSON.stringify(row.payload);
  const headers = {
    'webhook-id': row.event_id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(deps.keyring.open(sub.secret)).sign(row.event_id, at, body),
    'user-agent': 'ponte-webhooks/1',
  };
  // A client span; the receiver gets its traceparent (and the causing request's id).
  return inSpan(deps.tracing, 'POST', 'client', { 'http.request.method': 'POST', 'server.address': destination.url.hostname, 'url.path': destination.url.pathname, 'ponte.webhook.event_type': row.event_type }, async (span) => {
    const correlation = currentCorrelation();
    const result = await postJson(destination.url, body, { ...headers, ...outboundHeaders(span.carrier, correlation?.requestId) }, { timeoutMs: DELIVERY_TIMEOUT_MS, lookup: allowPrivate ? undefined : publicOnlyLookup() });
    span.setAttributes({ 'http.response.status_code': result.statusCode });
    return result;
  });
}

export function deliverProcessor(deps: Deps, log: Logger) {
  const scale = deps.config.webhookRetryScale ?? 1;
  return async (job: Job<DeliverJob>): Promise<string> => {
    const row = await getDelivery(deps.db, job.data.deliveryId);
    if (!row || (row.status !== 'pending' && row.status !== 'retrying')) return row?.status ?? 'missing';
    const sub = await getSubscription(deps.db, row.subscription_id);
    if (!sub || sub.status !== 'active') {
      await updateDelivery(deps.db, row.id, { status: 'cancelled', next_attempt_at: null, last_error: sub ? `subscription disabled: ${sub.disabled_reason}` : 'subscription deleted' });
      return 'cancelled';
    }
    const attempt = row.attempts + 1;
    const jobLog = log.child({ deliveryId: row.id, subscriptionId: sub.id, eventId: row.event_id, attempt });
    const startedAt = deps.clock.now();
    const t0 = performance.now();
    let result: PostResult | undefined;
    let failure: { code: string; message: string } | undefined;
    try {
      result = await send(deps, sub, row, startedAt);
      if (!isDelivered(result.statusCode)) failure = { code: `HTTP_${result.statusCode}`, message: `receiver answered ${result.statusCode}` };
    } catch (err) {
      failure = failureOf(err);
    }
    const correlation = currentCorrelation();
    const base = {
      deliveryId: row.id, attempt, replay: row.replays, startedAt, durationMs: Math.round(performance.now() - t0), statusCode: result?.statusCode, responseExcerpt: result?.excerpt,
      requestId: correlation?.requestId, traceId: traceIdOf(correlation?.carrier),
    };

    if (!failure) {
      await deps.db.tx(async (q) => {
        await insertAttempt(q, { ...base, outcome: 'delivered' });
        await updateDelivery(q, row.id, { status: 'delivered', attempts: attempt, next_attempt_at: null, last_error: null, delivered_at: startedAt });
        await markSubscriptionSuccess(q, sub.id, startedAt);
      });
      metricsOf(deps).observeWebhook('delivered', base.durationMs);
      jobLog.info({ statusCode: result?.statusCode }, 'webhook delivered');
      return 'delivered';
    }

    const lastError = `${failure.code}: ${failure.message}`;
    const exhausted = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const delayMs = webhookScheduleDelay(job.attemptsMade + 1, scale);
    const disabled = await deps.db.tx(async (q) => {
      const failingSince = await markSubscriptionFailure(q, sub.id, startedAt);
      const disable = shouldDisable(failingSince, startedAt);
      if (disable) await disableSubscription(q, sub.id, disabledReason(failingSince, lastError), startedAt);
      const final = exhausted || disable;
      await insertAttempt(q, { ...base, errorCode: failure.code, errorMessage: failure.message, outcome: final ? 'failed' : 'retrying' });
      await updateDelivery(q, row.id, {
        status: final ? 'failed' : 'retrying',
        attempts: attempt,
        next_attempt_at: final ? null : new Date(startedAt.getTime() + delayMs),
        last_error: lastError,
      });
      return disable;
    });
    metricsOf(deps).observeWebhook(disabled || exhausted ? 'failed' : 'retrying', base.durationMs);
    if (disabled) jobLog.warn({ code: failure.code }, 'webhook subscription disabled after 5 days of failures');
    if (disabled || exhausted) throw new UnrecoverableError(lastError);
    jobLog.info({ code: failure.code, delayMs }, 'webhook attempt failed; will retry');
    throw new WebhookAttemptError(lastError, delayMs);
  };
}
