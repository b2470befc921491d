// Replaying a subscription's deliveries in bulk, typically those it missed while disabled
// (cancelled) or gave up on (failed). The request counts them and queues ONE job on the
// webhooks queue; the job replays them in batches (same event, same webhook-id, so receivers
// dedupe), so thousands of deliveries never run inside an HTTP request.

import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { getSubscription, type DeliveryRow } from './store.js';

export const REPLAY_DELIVERIES_JOB = 'replay-deliveries';
/** Deliveries replayed per transaction. */
const BATCH = 200;
export const BULK_REPLAYABLE = ['failed', 'cancelled'] as const;

export interface DeliveryFilter { status?: Array<(typeof BULK_REPLAYABLE)[number]>; since?: string; until?: string }

export interface ReplayDeliveriesJob {
  subscriptionId: string;
  statuses: string[];
  since: string | null;
  until: string | null;
  /** Only deliveries last changed at or before this (the request's time) are replayed. */
  cutoff: string;
  actor: string;
  bulkJobId: string;
}

async function audit(q: Queryable, actor: string, action: string, targetId: string, changes: Record<string, unknown>): Promise<void> {
  await q.query("INSERT INTO audit_events (actor, action, target_type, target_id, changes) VALUES ($1, $2, 'webhook', $3, $4)", [actor, action, targetId, JSON.stringify(changes)]);
}

function matching(job: Pick<ReplayDeliveriesJob, 'subscriptionId' | 'statuses' | 'since' | 'until' | 'cutoff'>): { where: string; values: unknown[] } {
  return {
    where: `subscription_id = $1 AND status = ANY($2::text[]) AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4) AND updated_at <= $5::timestamptz`,
    values: [job.subscriptionId, job.statuses, job.since, job.until, job.cutoff],
  };
}

export async function queueDeliveryReplay(deps: Deps, subscriptionId: string, filter: DeliveryFilter, actor: string): Promise<{ queued: number; jobId: string | null }> {
  if (filter.since && filter.until && filter.since > filter.until) throw ValidationError.field('until', 'must not be before since');
  const result = await deps.db.tx(async (q) => {
    const sub = await getSubscription(q, subscriptionId, true);
    if (!sub) throw new NotFoundError('webhook', subscriptionId);
    if (sub.status !== 'active') {
      throw new ConflictError('WEBHOOK_DISABLED', `the subscription is disabled (${sub.disabled_reason ?? 'no reason'}): enable it first with PATCH /v1/webhooks/${sub.id} {"enabled": true}`);
    }
    const { rows } = await q.query<{ at: string }>("SELECT to_json(now()) #>> '{}' AS at");
    const spec = { subscriptionId, statuses: filter.status?.length ? filter.status : [...BULK_REPLAYABLE], since: filter.since ?? null, until: filter.until ?? null, cutoff: rows[0]!.at };
    const { where, values } = matching(spec);
    const counted = await q.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_deliveries WHERE ${where}`, values);
    const queued = Number(counted.rows[0]!.n);
    const jobId = queued > 0 ? `replay-deliveries-${randomUUID()}` : null;
    if (jobId) {
      const payload: ReplayDeliveriesJob = { ...spec, actor, bulkJobId: jobId };
      await enqueue(q, { queue: QUEUES.webhooks, name: REPLAY_DELIVERIES_JOB, jobId, payload: { ...payload } });
    }
    await audit(q, actor, 'webhook.deliveries.bulk_replay_queued', subscriptionId, { statuses: spec.statuses, since: spec.since, until: spec.until, queued, jobId });
    return { queued, jobId };
  });
  deps.relay.kick();
  return result;
}

/** The job: each matching delivery back to pending with a job of its own, a batch at a time. */
export async function runDeliveryReplay(deps: Deps, job: ReplayDeliveriesJob): Promise<number> {
  const { where, values } = matching(job);
  let replayed = 0;
  for (;;) {
    const n = await deps.db.tx(async (q) => {
      const { rows } = await q.query<DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE ${where} ORDER BY created_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`, values);
      for (const d of rows) {
        const replays = d.replays + 1;
        await q.query("UPDATE webhook_deliveries SET status = 'pending', replays = $2, next_attempt_at = NULL, updated_at = now() WHERE id = $1", [d.id, replays]);
        await enqueue(q, { queue: QUEUES.webhooks, name: 'deliver', jobId: `${d.id}.replay-${replays}`, payload: { deliveryId: d.id } });
      }
      return rows.length;
    });
    replayed += n;
    if (n > 0) deps.relay.kick();
    if (n < BATCH) return replayed;
  }
}
