// Admin route on the audit trail (API keys: src/http/admin-keys.ts).

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { listAudit, type AuditQuery } from '../admin/audit.js';
import { answers, listQuery, pageOf } from './answers.js';

const text = { type: 'string', maxLength: 200 } as const;

export async function adminAuditRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const config = { roles: ['admin' as const] };
  const tags = ['admin'];

  app.get<{ Querystring: AuditQuery }>('/v1/admin/audit', {
    config,
    schema: {
      tags,
      operationId: 'listAudit',
      summary: 'Who did what, when: replays, patches, cancels, bulk replays, key creation (newest first)',
      querystring: listQuery({ action: text, targetId: text, actor: text }),
      response: answers({ 200: pageOf('AuditEntry') }),
    },
  }, async (request) => listAudit(deps.db, request.query));
}
