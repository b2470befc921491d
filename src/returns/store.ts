// Return rows: insert, read (optionally locked), patch, and the filtered listing that hides
// returns closed longer ago than the retention window.

import type { Queryable } from '../store/db.js';
import { isUuid } from '../store/integrations.js';
import type { ReturnTypeName } from '../domain/return-rules.js';
import type { ReturnStatus } from '../domain/return-status.js';
import { SqlWhere } from '../store/sql-where.js';
import { keysetPage, type Page, type PageRequest } from '../store/keyset.js';

export interface ReturnRow {
  id: string;
  type: ReturnTypeName;
  status: ReturnStatus;
  client_email: string;
  client_code: string | null;
  chat_id: string | null;
  crm_process_number: string | null;
  contact_person: string | null;
  valid_until: Date;
  responsible_user_id: string | null;
  department_id: string | null;
  subject: string;
  description: string;
  next_action_at: Date | null;
  portal_token_hash: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  // Case work (migration 007, src/casework/).
  subject_id: string | null;
  sub_subject_id: string | null;
  situation: string | null;
  priority: string | null;
  product_id: string | null;
  cloned_from: string | null;
}

export type NewReturn = Pick<ReturnRow,
  'type' | 'client_email' | 'client_code' | 'chat_id' | 'crm_process_number' | 'contact_person' | 'responsible_user_id' | 'department_id' | 'subject' | 'description' | 'portal_token_hash' | 'created_by'>
  & { valid_until: string; created_at: Date };

export async function insertReturn(q: Queryable, r: NewReturn): Promise<ReturnRow> {
  const { rows } = await q.query<ReturnRow>(
    `INSERT INTO returns (type, status, client_email, client_code, chat_id, crm_process_number, contact_person, valid_until,
       responsible_user_id, department_id, subject, description, portal_token_hash, created_by, created_at, updated_at)
     VALUES ($1, 'open', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING *`,
    [r.type, r.client_email, r.client_code, r.chat_id, r.crm_process_number, r.contact_person, r.valid_until,
      r.responsible_user_id, r.department_id, r.subject, r.description, r.portal_token_hash, r.created_by, r.created_at],
  );
  return rows[0]!;
}

export async function getReturn(q: Queryable, id: string, forUpdate = false): Promise<ReturnRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<ReturnRow>(`SELECT * FROM returns WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

/** Columns a service may change; updated_at is set with them. */
export type ReturnPatch = Partial<Pick<ReturnRow,
  'status' | 'client_code' | 'crm_process_number' | 'contact_person' | 'valid_until' | 'responsible_user_id' | 'department_id' | 'subject' | 'description' | 'next_action_at' | 'portal_token_hash' | 'closed_at'
  | 'subject_id' | 'sub_subject_id' | 'situation' | 'priority' | 'product_id' | 'cloned_from'>>;

export async function updateReturn(q: Queryable, id: string, patch: ReturnPatch, at: Date): Promise<ReturnRow> {
  const keys = Object.keys(patch) as Array<keyof ReturnPatch>;
  const sets = keys.map((k, i) => `${k} = $${i + 3}`);
  const { rows } = await q.query<ReturnRow>(
    `UPDATE returns SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE id = $1 RETURNING *`,
    [id, at, ...keys.map((k) => patch[k])],
  );
  return rows[0]!;
}

export interface ReturnFilter {
  status?: ReturnStatus;
  type?: ReturnTypeName;
  responsibleUserId?: string;
  clientEmail?: string;
  clientCode?: string;
  nextActionBefore?: Date;
  /** Closed before this instant and not asked for → hidden. */
  archivedBefore?: Date;
}

/** One page, newest first, keyed on (created_at at microseconds, id). */
export async function listReturns(q: Queryable, f: ReturnFilter, page: PageRequest): Promise<Page<ReturnRow>> {
  const where = new SqlWhere();
  if (f.status) where.and('status = ?', f.status);
  if (f.type) where.and('type = ?', f.type);
  if (f.responsibleUserId) where.and('responsible_user_id = ?', f.responsibleUserId);
  if (f.clientEmail) where.and('client_email = ?', f.clientEmail.toLowerCase());
  if (f.clientCode) where.and('client_code = ?', f.clientCode);
  if (f.nextActionBefore) where.and('next_action_at < ?', f.nextActionBefore);
  if (f.archivedBefore) where.and("NOT (status = 'closed' AND closed_at < ?)", f.archivedBefore);
  return keysetPage<ReturnRow>(q, { select: '*', from: 'returns', where }, { columns: [['created_at', 'timestamptz'], ['id', 'uuid']], desc: true }, page);
}

/** The integrations a return queued (client answers added to the ERP process). */
export async function listReturnIntegrations(q: Queryable, returnId: string): Promise<Array<{ id: string; kind: string; status: string; erpProcessNumber: string | null; lastError: { code: string; message: string } | null }>> {
  const { rows } = await q.query(
    'SELECT id, kind, status, erp_process_number, error_code, error_message FROM integrations WHERE return_id = $1 ORDER BY created_at, id',
    [returnId],
  );
  // A failed one shows why on the return itself: an agent sees it without the admin's list.
  return rows.map((r) => ({ id: r.id, kind: r.kind, status: r.status, erpProcessNumber: r.erp_process_number, lastError: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null }));
}
