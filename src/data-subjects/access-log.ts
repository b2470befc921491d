// The access log (Marco Civil art. 15, LGPD art. 37): every read of a person's data through the
// API, recorded before the answer leaves (a read that cannot be recorded is not served): who
// (API key and acting agent), what, when, from which address. The person is kept as digests
// of their identifiers and the record's id, so `?subject=` finds them without storing them.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { digestsOf, phoneKey, taxKey } from '../domain/data-subject.js';
import { normalizeClientCode } from '../domain/integration-request.js';
import { decodeCursor, encodeCursor, isSerial, isTimestamp, pageLimit } from '../admin/cursor.js';
import { ValidationError } from '../errors.js';
import { SqlWhere } from '../store/sql-where.js';

export type Target = 'chat' | 'return' | 'integration' | 'mail' | 'delivery';

/**
 * The reads that return a person's data: `METHOD url` → what is recorded (`param`: the route
 * parameter naming the record, `id` unless told). Streams (hijacked, no onSend) call recordRead.
 */
export const LOGGED_READS: Record<string, { action: string; target: Target; param?: string }> = {
  'GET /v1/chats/:id': { action: 'chat.read', target: 'chat' },
  'GET /v1/chats/:id/details': { action: 'chat.details', target: 'chat' },
  'GET /v1/chats/:id/transcript': { action: 'chat.transcript', target: 'chat' },
  'GET /v1/chats/:id/messages': { action: 'chat.messages', target: 'chat' },
  'GET /v1/chats/:id/events': { action: 'chat.events', target: 'chat' },
  'GET /v1/chats/:id/attachments': { action: 'chat.attachments', target: 'chat' },
  'GET /v1/chats/:id/attachments/:attId': { action: 'chat.attachment', target: 'chat' },
  'GET /v1/chats/:id/integration-form': { action: 'chat.integration_form', target: 'chat' },
  'GET /v1/chats/:id/integrations': { action: 'chat.integrations', target: 'chat' },
  'GET /v1/integrations/:id': { action: 'integration.read', target: 'integration' },
  'GET /v1/admin/integrations/:id': { action: 'integration.read', target: 'integration' },
  'GET /v1/returns/:id': { action: 'return.read', target: 'return' },
  'GET /v1/returns/:id/history': { action: 'return.history', target: 'return' },
  'GET /v1/returns/:id/preview': { action: 'return.preview', target: 'return' },
  'GET /v1/returns/:id/timeline/:entryId': { action: 'return.timeline_entry', target: 'return' },
  'GET /v1/returns/:id/attachments/:fileId': { action: 'return.attachment', target: 'return' },
  'GET /v1/returns/:id/third-parties': { action: 'return.third_parties', target: 'return' },
  'GET /v1/portal/returns/:id': { action: 'return.portal', target: 'return' },
  'GET /v1/portal/returns/:id/attachments/:fileId': { action: 'return.portal_attachment', target: 'return' },
  'GET /v1/portal/returns/:id/chat': { action: 'return.portal_chat', target: 'return' },
  'GET /v1/admin/mail/:id': { action: 'mail.read', target: 'mail' },
  'GET /v1/webhooks/deliveries/:deliveryId': { action: 'webhook_delivery.read', target: 'delivery', param: 'deliveryId' },
};

export interface AccessEntry { action: string; targetType: string; targetId: string; digests: string[] }

const SUBJECT_SQL: Record<Target, string> = {
  chat: `SELECT client_email AS email, client_code AS code, client->>'taxId' AS tax, client->>'phone' AS phone FROM chats WHERE id = $1::uuid`,
  return: 'SELECT client_email AS email, client_code AS code, NULL AS tax, NULL AS phone FROM returns WHERE id = $1::uuid',
  integration: `SELECT coalesce(c.client_email, r.client_email) AS email, i.client_code AS code, c.client->>'taxId' AS tax, c.client->>'phone' AS phone
                  FROM integrations i LEFT JOIN chats c ON c.id = i.chat_id LEFT JOIN returns r ON r.id::text = i.return_id WHERE i.id = $1::uuid`,
  mail: 'SELECT m.to_address AS email, r.client_code AS code, NULL AS tax, NULL AS phone FROM mail_messages m LEFT JOIN returns r ON r.id = m.return_id WHERE m.id = $1::uuid',
  // An event names its chat or return: the person is theirs.
  delivery: `SELECT coalesce(c.client_email, r.client_email) AS email, coalesce(c.client_code, r.client_code) AS code, c.client->>'taxId' AS tax, c.client->>'phone' AS phone
               FROM webhook_deliveries d LEFT JOIN chats c ON c.id::text = d.payload->'data'->>'chatId'
               LEFT JOIN returns r ON r.id::text = d.payload->'data'->>'returnId' WHERE d.id = $1::uuid`,
};

/** The digests of the person a record belongs to (none for an unknown record). */
export async function subjectOf(q: Queryable, target: Target, id: string): Promise<string[]> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return [];
  const { rows } = await q.query<{ email: string | null; code: string | null; tax: string | null; phone: string | null }>(SUBJECT_SQL[target], [id]);
  const r = rows[0];
  if (!r) return [];
  return digestsOf({ emails: r.email ? [r.email] : [], clientCodes: r.code ? [r.code] : [], taxIds: r.tax ? [r.tax] : [], phones: r.phone ? [r.phone] : [] });
}

/** The acting agent a read names (X-Agent-Id, checked, or `agentId` in the query, as every read route takes it). */
function agentOf(request: FastifyRequest): string | null {
  const agent = request.actingAgentId ?? (request.query as { agentId?: unknown } | undefined)?.agentId;
  return typeof agent === 'string' && /^[A-Za-z0-9._@-]{1,100}$/.test(agent) ? agent : null;
}

export async function recordAccess(q: Queryable, request: FastifyRequest, e: AccessEntry, at: Date): Promise<void> {
  const key = request.apiKey?.name ?? (request.url.startsWith('/v1/portal/') ? 'portal' : 'anonymous');
  await q.query(
    `INSERT INTO access_log (at, key_name, agent_id, action, target_type, target_id, subject_digests, ip, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [at, key, agentOf(request), e.action, e.targetType, e.targetId, e.digests, request.ip, String(request.id)],
  );
}

/** Records the read of LOGGED_READS this request is (nothing for another route). */
export async function recordRead(deps: Pick<Deps, 'db' | 'clock'>, request: FastifyRequest): Promise<void> {
  const read = LOGGED_READS[`${request.method} ${request.routeOptions.url}`];
  if (!read) return;
  const id = (request.params as Record<string, string | undefined>)[read.param ?? 'id'] ?? '';
  const digests = await subjectOf(deps.db, read.target, id);
  await recordAccess(deps.db, request, { action: read.action, targetType: read.target, targetId: id, digests }, deps.clock.now());
}

const agentIdQuery = { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$', description: 'The acting agent (recorded in the access log).' };

/**
 * Every logged read of an API key takes `?agentId=` (the acting agent), documented; and every
 * successful one is recorded before its answer is sent. Registered before the routes.
 */
export function registerAccessLog(app: FastifyInstance, deps: Deps): void {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v1/portal/') || ![route.method].flat().some((m) => LOGGED_READS[`${m} ${route.url}`])) return;
    const schema = (route.schema ??= {}) as { querystring?: { type?: string; properties?: Record<string, unknown> } };
    const query = schema.querystring ?? { type: 'object', properties: {} };
    // A copy: route schemas share their query objects.
    if (!query.properties?.agentId) schema.querystring = { ...query, properties: { ...query.properties, agentId: agentIdQuery } };
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 300) await recordRead(deps, request);
    return payload;
  });
}

export interface AccessQuery { subject?: string; actor?: string; since?: string; limit?: number; cursor?: string }

/** Every identifier `subject` could be (e-mail, client code, CPF/CNPJ, phone) as digests. */
function subjectDigests(subject: string): string[] {
  const s = subject.trim();
  const tax = taxKey(s);
  const phone = phoneKey(s);
  return digestsOf({
    emails: s.includes('@') ? [s] : [],
    clientCodes: /^[0-9]{1,6}$/.test(s) ? [normalizeClientCode(s)] : [],
    taxIds: tax.length === 11 || tax.length === 14 ? [tax] : [],
    phones: phone.length >= 8 && phone.length <= 13 ? [phone] : [],
  });
}

/** Newest first: by person (any identifier, or a record id), by actor (key or agent), since a time. */
export async function listAccess(q: Queryable, query: AccessQuery) {
  const limit = pageLimit(query.limit);
  const where = new SqlWhere();
  if (query.subject) where.and('(subject_digests && ?::text[] OR target_id = ?)', subjectDigests(query.subject), query.subject.trim());
  if (query.actor) where.and('(key_name = ? OR agent_id = ?)', query.actor, query.actor);
  if (query.since) {
    if (!isTimestamp(query.since)) throw ValidationError.field('since', 'must be an ISO 8601 date-time');
    where.and('at >= ?::timestamptz', query.since);
  }
  if (query.cursor) where.and('id < ?::bigint', decodeCursor<[string]>(query.cursor, [isSerial])[0]);
  const { rows } = await q.query(`SELECT * FROM access_log ${where} ORDER BY id DESC LIMIT ${limit + 1}`, where.values);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      id: String(r.id), at: r.at.toISOString(), keyName: r.key_name, agentId: r.agent_id, action: r.action,
      targetType: r.target_type, targetId: r.target_id, ip: r.ip, requestId: r.request_id,
    })),
    nextCursor: rows.length > limit ? encodeCursor([String(page[page.length - 1]!.id)]) : null,
  };
}
