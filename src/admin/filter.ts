// The admin's integration filter (status, error code, connector, chat, client code, time
// range): parsed once, then turned into a parameterized WHERE clause shared by the list,
// the bulk-replay count and the bulk-replay job.

import { ValidationError, type ErrorDetail } from '../errors.js';
import { normalizeClientCode } from '../domain/integration-request.js';
import type { IntegrationStatus } from '../store/integrations.js';
import { isTimestamp } from './cursor.js';

export const STATUSES: IntegrationStatus[] = ['pending', 'running', 'succeeded', 'failed', 'dead', 'cancelled'];
/** What an admin may replay: finished without success (a cancelled one can be revived). */
export const REPLAYABLE: IntegrationStatus[] = ['failed', 'dead', 'cancelled'];

/** As received (query string, JSON body or CLI flags): status may be a list or "a,b". */
export interface FilterInput {
  status?: string | string[];
  errorCode?: string;
  connector?: string;
  chatId?: string;
  clientCode?: string;
  since?: string;
  until?: string;
}

export interface IntegrationFilter {
  statuses: IntegrationStatus[];
  errorCode?: string;
  connector?: string;
  chatId?: string;
  clientCode?: string;
  since?: Date;
  until?: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseTime(value: string | undefined, path: string, problems: ErrorDetail[]): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const at = new Date(value);
  if (!isTimestamp(value)) problems.push({ path, message: `"${value}" is not a date-time (ISO 8601, e.g. 2024-05-01T00:00:00Z)` });
  return at;
}

/** Validates the input; throws one 400 naming every bad field (paths under `prefix`). */
export function parseFilter(input: FilterInput, prefix = ''): IntegrationFilter {
  const problems: ErrorDetail[] = [];
  const list = Array.isArray(input.status) ? input.status : input.status ? [input.status] : [];
  const statuses = [...new Set(list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))];
  for (const s of statuses) {
    if (!(STATUSES as string[]).includes(s)) problems.push({ path: `${prefix}status`, message: `unknown status "${s}" (one of ${STATUSES.join(', ')})` });
  }
  if (input.chatId && !UUID.test(input.chatId)) problems.push({ path: `${prefix}chatId`, message: 'must be a chat id (UUID)' });
  if (input.clientCode && !/^[0-9]{1,6}$/.test(input.clientCode)) problems.push({ path: `${prefix}clientCode`, message: 'must be 1 to 6 digits' });
  const since = parseTime(input.since, `${prefix}since`, problems);
  const until = parseTime(input.until, `${prefix}until`, problems);
  if (since && until && since > until) problems.push({ path: `${prefix}until`, message: 'must not be before since' });
  if (problems.length) throw new ValidationError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  return {
    statuses: statuses as IntegrationStatus[],
    errorCode: input.errorCode || undefined,
    connector: input.connector || undefined,
    chatId: input.chatId || undefined,
    clientCode: input.clientCode ? normalizeClientCode(input.clientCode) : undefined,
    since,
    until,
  };
}

/** `WHERE` conditions and their values; placeholders start after `offset` existing ones. */
export function filterSql(f: IntegrationFilter, offset = 0): { where: string[]; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${offset + values.length}`));
  };
  if (f.statuses.length) add((n) => `status = ANY(${n}::text[])`, f.statuses);
  if (f.errorCode) add((n) => `error_code = ${n}`, f.errorCode);
  if (f.connector) add((n) => `connector = ${n}`, f.connector);
  if (f.chatId) add((n) => `chat_id = ${n}`, f.chatId);
  if (f.clientCode) add((n) => `client_code = ${n}`, f.clientCode);
  if (f.since) add((n) => `created_at >= ${n}`, f.since);
  if (f.until) add((n) => `created_at < ${n}`, f.until);
  return { where, values };
}

/** The filter as stored in a job payload or an audit event (JSON, dates as ISO strings). */
export function filterJson(f: IntegrationFilter): FilterInput & { status: string[] } {
  return {
    status: f.statuses,
    ...(f.errorCode ? { errorCode: f.errorCode } : {}),
    ...(f.connector ? { connector: f.connector } : {}),
    ...(f.chatId ? { chatId: f.chatId } : {}),
    ...(f.clientCode ? { clientCode: f.clientCode } : {}),
    ...(f.since ? { since: f.since.toISOString() } : {}),
    ...(f.until ? { until: f.until.toISOString() } : {}),
  };
}
