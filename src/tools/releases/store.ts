// Version releases and the product versions the ERP recorded for a client.

import type { Queryable } from '../../store/db.js';
import { keysetPage, type Page, type PageRequest } from '../../store/keyset.js';
import { SqlWhere } from '../../store/sql-where.js';
import type { RecordedVersion } from './entitlement.js';

export type ReleaseStatus = 'pending' | 'released' | 'failed';

export interface ReleaseRow {
  id: string;
  chat_id: string;
  client_code: string;
  system: string;
  version: string;
  entitled: string;
  agent_id: string;
  requested_by: string;
  status: ReleaseStatus;
  updater_release_id: string | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export interface ReleaseView {
  id: string;
  chatId: string;
  clientCode: string;
  system: string;
  version: string;
  /** The entitled version the request was checked against. */
  entitled: string;
  agentId: string;
  requestedBy: string;
  status: ReleaseStatus;
  updaterReleaseId: string | null;
  attempts: number;
  /** Why it failed; while the job is being retried, the last attempt's failure. */
  error: { code: string; message: string } | null;
  createdAt: string;
  finishedAt: string | null;
}

export function toReleaseView(r: ReleaseRow): ReleaseView {
  return {
    id: r.id,
    chatId: r.chat_id,
    clientCode: r.client_code,
    system: r.system,
    version: r.version,
    entitled: r.entitled,
    agentId: r.agent_id,
    requestedBy: r.requested_by,
    status: r.status,
    updaterReleaseId: r.updater_release_id,
    attempts: r.attempts,
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
  };
}

export async function recordedVersions(q: Queryable, clientCode: string): Promise<RecordedVersion[]> {
  const { rows } = await q.query<RecordedVersion>(
    'SELECT system, used, entitled FROM client_product_versions WHERE client_code = $1 ORDER BY system', [clientCode]);
  return rows;
}

export interface NewRelease { chatId: string; clientCode: string; system: string; version: string; entitled: string; agentId: string; requestedBy: string }

export async function insertRelease(q: Queryable, r: NewRelease): Promise<ReleaseRow> {
  const { rows } = await q.query<ReleaseRow>(
    `INSERT INTO version_releases (chat_id, client_code, system, version, entitled, agent_id, requested_by, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') RETURNING *`,
    [r.chatId, r.clientCode, r.system, r.version, r.entitled, r.agentId, r.requestedBy],
  );
  return rows[0]!;
}

export async function getRelease(q: Queryable, id: string, forUpdate = false): Promise<ReleaseRow | undefined> {
  const { rows } = await q.query<ReleaseRow>(`SELECT * FROM version_releases WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

/** One page of a chat's releases, oldest first. */
export async function chatReleases(q: Queryable, chatId: string, page: PageRequest): Promise<Page<ReleaseRow>> {
  return keysetPage<ReleaseRow>(q, { select: '*', from: 'version_releases', where: new SqlWhere().and('chat_id = ?', chatId) }, { columns: [['created_at', 'timestamptz'], ['id', 'uuid']] }, page);
}

export async function updateRelease(q: Queryable, id: string, fields: Partial<Pick<ReleaseRow,
  'status' | 'updater_release_id' | 'attempts' | 'error_code' | 'error_message' | 'finished_at'>>): Promise<ReleaseRow> {
  const entries = Object.entries(fields);
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`);
  const { rows } = await q.query<ReleaseRow>(
    `UPDATE version_releases SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING *`, [id, ...entries.map(([, v]) => v)]);
  return rows[0]!;
}
