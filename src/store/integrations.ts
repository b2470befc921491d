// Integration rows (the outbox of ERP work) and their attempts.

import type { Queryable } from './db.js';
import { keysetPage, type Page, type PageRequest } from './keyset.js';
import { SqlWhere } from './sql-where.js';
import type { Statement } from './statement.js';
import type { IntegrationRequest } from '../domain/integration-request.js';
import type { ConnectorExchange } from '../connectors/contract.js';
import { INTEGRATION_JOB_ID_SQL } from '../integration/job-id.js';
import { isUuid } from './ids.js';
import { opinionSourceColumns, opinionSourcesOf, type OpinionSources } from './chats.js';

export { isUuid };

export type IntegrationStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'dead' | 'cancelled';

export interface IntegrationRow {
  id: string;
  chat_id: string | null;
  return_id: string | null;
  kind: 'case' | 'opinion';
  status: IntegrationStatus;
  connector: string;
  client_code: string | null;
  request: IntegrationRequest & { text?: string };
  opinion: string;
  erp_process_number: string | null;
  notified_at: Date | null;
  attempts: number;
  replays: number;
  error_code: string | null;
  error_message: string | null;
  error_retryable: boolean | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export interface IntegrationView {
  id: string;
  chatId: string | null;
  returnId: string | null;
  kind: 'case' | 'opinion';
  status: IntegrationStatus;
  connector: string;
  clientCode: string | null;
  request: IntegrationRequest & { text?: string };
  erpProcessNumber: string | null;
  notifiedAt: string | null;
  attempts: number;
  replays: number;
  lastError: { code: string; message: string; retryable: boolean } | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export function toView(r: IntegrationRow): IntegrationView {
  return {
    id: r.id,
    chatId: r.chat_id,
    returnId: r.return_id,
    kind: r.kind,
    status: r.status,
    connector: r.connector,
    clientCode: r.client_code,
    request: r.request,
    erpProcessNumber: r.erp_process_number,
    notifiedAt: r.notified_at?.toISOString() ?? null,
    attempts: r.attempts,
    replays: r.replays,
    lastError: r.error_code ? { code: r.error_code, message: r.error_message ?? '', retryable: Boolean(r.error_retryable) } : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

export async function insertIntegration(
  q: Queryable,
  row: { chatId?: string; returnId?: string; kind: 'case' | 'opinion'; connector: string; clientCode?: string; request: object },
): Promise<IntegrationRow> {
  const { rows } = await q.query<IntegrationRow>(
    `INSERT INTO integrations (chat_id, return_id, kind, status, connector, client_code, request)
     VALUES ($1, $2, $3, 'pending', $4, $5, $6) RETURNING *`,
    [row.chatId ?? null, row.returnId ?? null, row.kind, row.connector, row.clientCode ?? null, JSON.stringify(row.request)],
  );
  return rows[0]!;
}

/** New integration rows (ids chosen by the caller) as one statement, to be sent with what causes them. */
export function insertIntegrationsStatement(
  rows: Array<{ id: string; chatId?: string; returnId?: string; kind: 'case' | 'opinion'; connector: string; clientCode?: string; request: object }>,
): Statement {
  const set = rows.map((r) => ({ id: r.id, chat_id: r.chatId ?? null, return_id: r.returnId ?? null, kind: r.kind, connector: r.connector, client_code: r.clientCode ?? null, request: r.request }));
  return {
    text: `INSERT INTO integrations (id, chat_id, return_id, kind, status, connector, client_code, request)
     SELECT x.id, x.chat_id, x.return_id, x.kind, 'pending', x.connector, x.client_code, x.request
     FROM json_to_recordset($1::json) AS x(id uuid, chat_id uuid, return_id text, kind text, connector text, client_code text, request jsonb)`,
    values: [JSON.stringify(set)],
  };
}

export async function getIntegration(q: Queryable, id: string): Promise<IntegrationRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<IntegrationRow>('SELECT * FROM integrations WHERE id = $1', [id]);
  return rows[0];
}

/**
 * Where the worker needs the chat's transcript: the opinion is prefilled from it unless the
 * request is `multiple` or brings its own `opinion` (the rule of needsTranscript in
 * src/integration/case-record.ts, over the stored request; test/store/claim.test.ts holds both to it).
 */
const NEEDS_TRANSCRIPT_SQL = `NOT coalesce((claimed.request->>'multiple')::boolean, false) AND NOT (claimed.request ? 'opinion')`;

/** A claimed row and, for a chat's integration, what its opinion is built from. */
export interface ClaimedIntegration { row: IntegrationRow; chat: OpinionSources | undefined }

/**
 * Marks a pending (or stalled running) integration as running and counts the attempt, for the
 * job that is its current run only: a stale job of an earlier run (before a replay) claims nothing.
 * The same statement reads the chat's opinion sources.
 */
export async function claimIntegration(q: Queryable, id: string, jobId: string): Promise<ClaimedIntegration | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<IntegrationRow & Parameters<typeof opinionSourcesOf>[0] & { source_chat: string | null }>(
    `WITH claimed AS (
       UPDATE integrations i SET status = 'running', attempts = attempts + 1, updated_at = now()
        WHERE i.id = $1 AND i.status IN ('pending', 'running') AND ${INTEGRATION_JOB_ID_SQL} = $2 RETURNING i.*)
     SELECT claimed.*, c.id AS source_chat, ${opinionSourceColumns(NEEDS_TRANSCRIPT_SQL)}
       FROM claimed LEFT JOIN chats c ON c.id = claimed.chat_id`,
    [id, jobId],
  );
  if (!rows[0]) return undefined;
  const { source_chat, source_advance_opinion, source_client_name, source_messages, ...row } = rows[0];
  return { row, chat: source_chat ? opinionSourcesOf({ source_advance_opinion, source_client_name, source_messages }) : undefined };
}

export async function listChatIntegrations(q: Queryable, chatId: string): Promise<IntegrationRow[]> {
  const { rows } = await q.query<IntegrationRow>('SELECT * FROM integrations WHERE chat_id = $1 ORDER BY created_at, id', [chatId]);
  return rows;
}

/** One page of a chat's integrations, oldest first. */
export async function chatIntegrationPage(q: Queryable, chatId: string, page: PageRequest): Promise<Page<IntegrationRow>> {
  return keysetPage<IntegrationRow>(q, { select: '*', from: 'integrations', where: new SqlWhere().and('chat_id = ?', chatId) }, { columns: [['created_at', 'timestamptz'], ['id', 'uuid']] }, page);
}

export async function updateIntegration(q: Queryable, id: string, fields: Partial<Record<keyof IntegrationRow, unknown>>): Promise<void> {
  if (Object.keys(fields).length === 0) return;
  const { text, values } = updateIntegrationStatement(id, fields);
  await q.query(text, values);
}

/** updateIntegration as a statement, to be sent together with others (src/store/statement.ts). */
export function updateIntegrationStatement(id: string, fields: Partial<Record<keyof IntegrationRow, unknown>>): Statement {
  const keys = Object.keys(fields);
  const sets = keys.map((k, i) => `${k} = $${i + 2}`);
  const values = keys.map((k) => {
    const v = fields[k as keyof IntegrationRow];
    return v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
  });
  return { text: `UPDATE integrations SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, values: [id, ...values] };
}

export interface AttemptRecord {
  integrationId: string;
  attempt: number;
  replay: number;
  startedAt: Date;
  durationMs: number;
  /** `held`: the ERP was down; the run gave its attempt back (src/integration/outage.ts). */
  outcome: 'succeeded' | 'failed' | 'retrying' | 'dead' | 'held';
  errorCode?: string;
  errorMessage?: string;
  exchanges: ConnectorExchange[];
  /** The request that caused the job (X-Request-Id), and the trace of this attempt. */
  requestId?: string;
  traceId?: string;
}

export async function insertAttempt(q: Queryable, a: AttemptRecord): Promise<void> {
  const { text, values } = attemptStatement(a);
  await q.query(text, values);
}

/** insertAttempt as a statement, to be sent with the row's own change (src/store/statement.ts). */
export function attemptStatement(a: AttemptRecord): Statement {
  return {
    text: `INSERT INTO integration_attempts (integration_id, attempt, replay, started_at, duration_ms, outcome, error_code, error_message, exchanges, request_id, trace_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    values: [a.integrationId, a.attempt, a.replay, a.startedAt, a.durationMs, a.outcome, a.errorCode ?? null, a.errorMessage ?? null, JSON.stringify(a.exchanges), a.requestId ?? null, a.traceId ?? null],
  };
}

export async function listAttempts(q: Queryable, integrationId: string) {
  const { rows } = await q.query('SELECT * FROM integration_attempts WHERE integration_id = $1 ORDER BY id', [integrationId]);
  return rows.map((r) => ({
    attempt: r.attempt,
    replay: r.replay,
    startedAt: r.started_at.toISOString(),
    durationMs: r.duration_ms,
    outcome: r.outcome,
    error: r.error_code ? { code: r.error_code, message: r.error_message } : null,
    exchanges: r.exchanges,
    requestId: r.request_id ?? null,
    traceId: r.trace_id ?? null,
  }));
}
