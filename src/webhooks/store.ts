// SQL of outbound webhooks: subscriptions, one delivery per (subscription, event), and every
// attempt of a delivery. Views never carry the secret.

import type { Queryable } from '../store/db.js';
import { isUuid } from '../store/integrations.js';
import { decodeCursor, encodeCursor, isTimestamp, isUuid as isUuidKey, pageLimit } from '../admin/cursor.js';
import { keysetPage, type Page, type PageRequest } from '../store/keyset.js';
import { SqlWhere } from '../store/sql-where.js';

export interface SubscriptionRow {
  id: string;
  url: string;
  events: string[];
  /** Sealed with PONTE_SECRET_KEY (src/secrets/keyring.ts); open it only to sign. */
  secret: string;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  last_success_at: Date | null;
  created_by: string;
  created_at: Date;
}

/** The delivery state every outbound message row keeps (webhook deliveries, helpdesk notes). */
export interface DeliveryState {
  status: 'pending' | 'retrying' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  replays: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}

export interface DeliveryRow extends DeliveryState {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  payload: Record<string, unknown>;
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  replay: number;
  startedAt: Date;
  durationMs: number;
  statusCode?: number;
  responseExcerpt?: string;
  errorCode?: string;
  errorMessage?: string;
  outcome: 'delivered' | 'retrying' | 'failed';
  /** The request that caused the delivery, and the trace of this attempt. */
  requestId?: string;
  traceId?: string;
}

export async function insertSubscription(q: Queryable, s: { url: string; events: string[]; secret: string; createdBy: string }): Promise<SubscriptionRow> {
  const { rows } = await q.query<SubscriptionRow>(
    'INSERT INTO webhook_subscriptions (url, events, secret, created_by) VALUES ($1, $2, $3, $4) RETURNING *',
    [s.url, s.events, s.secret, s.createdBy],
  );
  return rows[0]!;
}

export async function getSubscription(q: Queryable, id: string, forUpdate = false): Promise<SubscriptionRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<SubscriptionRow>(`SELECT * FROM webhook_subscriptions WHERE id = $1 AND deleted_at IS NULL${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

/** One page of the live subscriptions, oldest first. */
export async function listSubscriptions(q: Queryable, page: PageRequest): Promise<Page<SubscriptionRow>> {
  return keysetPage<SubscriptionRow>(q, { select: '*', from: 'webhook_subscriptions', where: new SqlWhere().and('deleted_at IS NULL') },
    { columns: [['created_at', 'timestamptz'], ['id', 'uuid']] }, page);
}

/** Soft delete: deliveries stay inspectable; pending ones are cancelled at their next attempt. */
export async function deleteSubscription(q: Queryable, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { rowCount } = await q.query('UPDATE webhook_subscriptions SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL', [id]);
  return rowCount === 1;
}

/**
 * One delivery per subscription listening to the event; ids of the new ones to send (none on a
 * rerun). A disabled subscription gets its delivery too, cancelled at once: nothing is sent,
 * but once it is enabled again the deliveries it missed can be replayed in bulk.
 */
export async function insertDeliveries(q: Queryable, event: { id: string; type: string }, payload: unknown): Promise<string[]> {
  const { rows } = await q.query<{ id: string; status: string }>(
    `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, payload, status, last_error)
     SELECT s.id, $1, $2, $3, CASE WHEN s.status = 'active' THEN 'pending' ELSE 'cancelled' END,
            CASE WHEN s.status = 'active' THEN NULL ELSE 'subscription disabled: ' || coalesce(s.disabled_reason, 'no reason') END
     FROM webhook_subscriptions s
     WHERE s.deleted_at IS NULL AND $2 = ANY(s.events)
     ON CONFLICT (subscription_id, event_id) DO NOTHING RETURNING id, status`,
    [event.id, event.type, JSON.stringify(payload)],
  );
  return rows.filter((r) => r.status === 'pending').map((r) => r.id);
}

export async function getDelivery(q: Queryable, id: string, forUpdate = false): Promise<DeliveryRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

/** A page of a subscription's deliveries, newest first, keyed on (created_at, id) at microseconds. */
export async function listDeliveries(
  q: Queryable, subscriptionId: string, filter: { status?: string; limit?: number; cursor?: string },
): Promise<{ rows: DeliveryRow[]; nextCursor: string | null }> {
  const limit = pageLimit(filter.limit);
  const values: unknown[] = [subscriptionId, filter.status ?? null];
  let before = '';
  if (filter.cursor) {
    const [at, id] = decodeCursor<[string, string]>(filter.cursor, [isTimestamp, isUuidKey]);
    values.push(at, id);
    before = 'AND (created_at, id) < ($3::timestamptz, $4::uuid)';
  }
  const { rows } = await q.query<DeliveryRow & { cursor_at: string }>(
    `SELECT *, to_json(created_at) #>> '{}' AS cursor_at FROM webhook_deliveries WHERE subscription_id = $1 AND ($2::text IS NULL OR status = $2) ${before}
     ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
    values,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_at, last.id]) : null };
}

export async function updateDelivery(q: Queryable, id: string, fields: Partial<Pick<DeliveryRow, 'status' | 'attempts' | 'replays' | 'next_attempt_at' | 'last_error' | 'delivered_at'>>): Promise<void> {
  const keys = Object.keys(fields) as Array<keyof typeof fields>;
  const sets = keys.map((k, i) => `${k} = $${i + 2}`);
  await q.query(`UPDATE webhook_deliveries SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, [id, ...keys.map((k) => fields[k])]);
}

export async function insertAttempt(q: Queryable, a: AttemptRecord): Promise<void> {
  await q.query(
    `INSERT INTO webhook_attempts (delivery_id, attempt, replay, started_at, duration_ms, status_code, response_excerpt, error_code, error_message, outcome, request_id, trace_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [a.deliveryId, a.attempt, a.replay, a.startedAt, a.durationMs, a.statusCode ?? null, a.responseExcerpt ?? null, a.errorCode ?? null, a.errorMessage ?? null, a.outcome, a.requestId ?? null, a.traceId ?? null],
  );
}

export async function listAttempts(q: Queryable, deliveryId: string): Promise<Array<Record<string, unknown>>> {
  const { rows } = await q.query(
    `SELECT attempt, replay, started_at, duration_ms, status_code, response_excerpt, error_code, error_message, outcome, request_id, trace_id
     FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id`,
    [deliveryId],
  );
  return rows.map((r) => ({
    attempt: r.attempt, replay: r.replay, startedAt: r.started_at, durationMs: r.duration_ms, statusCode: r.status_code,
    responseExcerpt: r.response_excerpt, errorCode: r.error_code, errorMessage: r.error_message, outcome: r.outcome,
    requestId: r.request_id, traceId: r.trace_id,
  }));
}

/** A success clears the failing streak. */
export async function markSubscriptionSuccess(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE webhook_subscriptions SET failing_since = NULL, last_success_at = $2 WHERE id = $1', [id, at]);
}

/** A failure starts the failing streak if none is running; returns when it started. */
export async function markSubscriptionFailure(q: Queryable, id: string, at: Date): Promise<Date> {
  const { rows } = await q.query<{ failing_since: Date }>(
    'UPDATE webhook_subscriptions SET failing_since = COALESCE(failing_since, $2) WHERE id = $1 RETURNING failing_since',
    [id, at],
  );
  return rows[0]?.failing_since ?? at;
}

/** Enabled again: the failing streak and the reason it was disabled are cleared. */
export async function enableSubscription(q: Queryable, id: string): Promise<void> {
  await q.query(`UPDATE webhook_subscriptions SET status = 'active', disabled_reason = NULL, disabled_at = NULL, failing_since = NULL WHERE id = $1`, [id]);
}

export async function disableSubscription(q: Queryable, id: string, reason: string, at: Date): Promise<void> {
  await q.query(`UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = $2, disabled_at = $3 WHERE id = $1 AND status = 'active'`, [id, reason, at]);
}

export function subscriptionView(row: SubscriptionRow): Record<string, unknown> {
  return {
    id: row.id, url: row.url, events: row.events, status: row.status, disabledReason: row.disabled_reason, disabledAt: row.disabled_at,
    failingSince: row.failing_since, lastSuccessAt: row.last_success_at, createdBy: row.created_by, createdAt: row.created_at,
  };
}

export function deliveryView(row: DeliveryRow): Record<string, unknown> {
  return {
    id: row.id, subscriptionId: row.subscription_id, eventId: row.event_id, eventType: row.event_type, status: row.status,
    attempts: row.attempts, replays: row.replays, nextAttemptAt: row.next_attempt_at, lastError: row.last_error,
    createdAt: row.created_at, updatedAt: row.updated_at, deliveredAt: row.delivered_at,
  };
}
