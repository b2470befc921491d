// The admin's view of integrations: a filtered list (newest first, keyset pages) and one
// integration with every attempt as stored (exchanges were redacted by the connector).

import type { Queryable } from '../store/db.js';
import { getIntegration, listAttempts, toView, type IntegrationRow, type IntegrationView } from '../store/integrations.js';
import { NotFoundError } from '../errors.js';
import { filterSql, type IntegrationFilter } from './filter.js';
import { decodeCursor, encodeCursor, isTimestamp, isUuid, pageLimit } from './cursor.js';
import { listAudit, type AuditView } from './audit.js';

export type IntegrationSummary = Omit<IntegrationView, 'request'> & { subject: string | null };

export interface IntegrationPage {
  items: IntegrationSummary[];
  nextCursor: string | null;
}

// A page of 500 must not carry 500 opinions of up to 20,000 characters: only the subject.
const SUMMARY_COLUMNS = `id, chat_id, return_id, kind, status, connector, client_code, jsonb_build_object('subject', request->'subject') AS request,
  erp_process_number, notified_at, attempts, replays, error_code, error_message, error_retryable, created_at, updated_at, finished_at`;

function summary(row: IntegrationRow): IntegrationSummary {
  const { request, ...view } = toView(row);
  return { ...view, subject: request.subject ?? null };
}

export async function listIntegrations(q: Queryable, filter: IntegrationFilter, page: { limit?: number; cursor?: string }): Promise<IntegrationPage> {
  const limit = pageLimit(page.limit);
  const { where, values } = filterSql(filter);
  if (page.cursor) {
    const [at, id] = decodeCursor<[string, string]>(page.cursor, [isTimestamp, isUuid]);
    values.push(at, id);
    where.push(`(created_at, id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
  }
  // The cursor keeps created_at at full (microsecond) precision: a JS Date would round it
  // to milliseconds and pages would skip or repeat rows created within the same millisecond.
  const { rows } = await q.query<IntegrationRow & { cursor_at: string }>(
    `SELECT ${SUMMARY_COLUMNS}, to_json(created_at) #>> '{}' AS cursor_at FROM integrations
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
    values,
  );
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(summary),
    nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_at, last.id]) : null,
  };
}

export async function countIntegrations(q: Queryable, filter: IntegrationFilter, extra: { updatedBefore?: string } = {}): Promise<number> {
  const { where, values } = filterSql(filter);
  if (extra.updatedBefore) {
    values.push(extra.updatedBefore);
    where.push(`updated_at <= $${values.length}::timestamptz`);
  }
  const { rows } = await q.query<{ n: string }>(`SELECT count(*) AS n FROM integrations ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, values);
  return Number(rows[0]!.n);
}

export type IntegrationDetail = IntegrationView & {
  attemptsLog: Awaited<ReturnType<typeof listAttempts>>;
  audit: AuditView[];
};

export async function integrationDetail(q: Queryable, id: string): Promise<IntegrationDetail> {
  const row = await getIntegration(q, id);
  if (!row) throw new NotFoundError('integration', id);
  const [attemptsLog, audit] = await Promise.all([listAttempts(q, row.id), listAudit(q, { targetId: row.id, limit: 100 })]);
  return { ...toView(row), attemptsLog, audit: audit.items };
}
