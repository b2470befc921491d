// Factories for the admin tests: a closed chat and integration rows written straight with
// SQL (hundreds or thousands at once, faster than going through the API).

import type { Queryable } from '../../src/store/db.js';
import { integrationRequest } from '../support/fixtures.js';

export async function insertChat(q: Queryable, clientCode = '000012'): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO chats (status, department_id, client, client_email, client_code, subject, started_at, closed_at)
     VALUES ('closed', 'suporte', $1, 'cliente@example.com', $2, 'Teste', now() - interval '1 hour', now()) RETURNING id`,
    [JSON.stringify({ name: 'Cliente Teste', email: 'cliente@example.com', clientCode }), clientCode],
  );
  return rows[0]!.id;
}

export interface RowSpec {
  count: number;
  chatId?: string | null;
  status?: string;
  errorCode?: string | null;
  connector?: string;
  clientCode?: string;
  /** created_at of the first row; each next one is `stepMs` earlier. */
  createdAt?: Date;
  stepMs?: number;
  request?: Record<string, unknown>;
}

/** Inserts `count` integrations in one statement; returns their ids, newest first. */
export async function insertIntegrations(q: Queryable, spec: RowSpec): Promise<string[]> {
  const status = spec.status ?? 'failed';
  const errorCode = spec.errorCode === undefined ? (status === 'failed' ? 'UNKNOWN_PRODUCT' : status === 'dead' ? 'ERP_UNAVAILABLE' : null) : spec.errorCode;
  const request = spec.request ?? integrationRequest({ multiple: true, opinion: 'Texto do parecer.', clientCode: spec.clientCode ?? '000012' });
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO integrations (chat_id, status, connector, client_code, request, error_code, error_message, error_retryable, attempts, created_at, updated_at, finished_at)
     SELECT $1, $2, $3, $4, $5, $6::text, CASE WHEN $6::text IS NULL THEN NULL ELSE 'falhou: ' || $6::text END, $2 = 'dead', 1,
            $7::timestamptz - (g * $8::integer) * interval '1 millisecond', now() - interval '1 second', now() - interval '1 second'
     FROM generate_series(0, $9::integer - 1) AS g
     RETURNING id`,
    [spec.chatId ?? null, status, spec.connector ?? 'bimer', spec.clientCode ?? '000012', JSON.stringify(request), errorCode, spec.createdAt ?? new Date(), spec.stepMs ?? 1000, spec.count],
  );
  return rows.map((r) => r.id);
}
