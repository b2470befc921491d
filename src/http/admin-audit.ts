// Admin routes on the audit trail and on API keys (a created key's secret is shown once).

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import type { Role } from '../auth/api-keys.js';
import { actorOf } from './auth.js';
import { listAudit, type AuditQuery } from '../admin/audit.js';
import { createApiKey } from '../admin/keys.js';

const text = { type: 'string', maxLength: 200 } as const;

export async function adminAuditRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const config = { roles: ['admin' as const] };
  const tags = ['admin'];

  app.get<{ Querystring: AuditQuery }>('/v1/admin/audit', {
    config,
    schema: {
      tags,
      summary: 'Who did what, when: replays, patches, cancels, bulk replays, key creation (newest first)',
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { action: text, targetId: text, actor: text, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, cursor: { type: 'string', maxLength: 500 } },
      },
    },
  }, async (request) => listAudit(deps.db, request.query));

  app.post<{ Body: { name: string; roles: Role[]; profileId?: string } }>('/v1/admin/keys', {
    config,
    schema: { tags, summary: 'Create an API key; the secret is returned once', body: { $ref: 'AdminKeyCreate#' } },
  }, async (request, reply) => {
    const { key, secret } = await createApiKey(deps.db, request.body, { actor: actorOf(request) });
    return reply.status(201).send({ ...key, secret });
  });
}
