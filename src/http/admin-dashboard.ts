// GET /v1/admin/dashboard: the figures at the top of the admin page (src/admin/dashboard.ts).

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { dashboard, OUTCOMES } from '../admin/dashboard.js';
import { STATUSES } from '../admin/filter.js';

const count = { type: 'integer', minimum: 0 } as const;
const counts = (keys: readonly string[]) => ({
  type: 'object',
  additionalProperties: false,
  required: [...keys],
  properties: Object.fromEntries(keys.map((k) => [k, count])),
});
const when = { type: ['string', 'null'], format: 'date-time' } as const;

export const dashboardSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['generatedAt', 'hourly', 'counts', 'outboxBacklog', 'oldestPendingAgeSeconds', 'oldestPendingAt', 'erp'],
  properties: {
    generatedAt: { type: 'string', format: 'date-time' },
    hourly: {
      type: 'array',
      description: 'The last 24 hours, oldest first (the current hour last): integrations that finished in each hour, by how they ended.',
      minItems: 24,
      maxItems: 24,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['hour', 'counts'],
        properties: { hour: { type: 'string', format: 'date-time', description: 'Start of the hour.' }, counts: counts(OUTCOMES) },
      },
    },
    counts: { ...counts(STATUSES), description: 'Every integration by its current status.' },
    outboxBacklog: { ...count, description: 'Outbox rows not yet handed to the job backend.' },
    oldestPendingAgeSeconds: { type: ['integer', 'null'], minimum: 0, description: 'Age of the oldest integration still pending or running; null when there is none.' },
    oldestPendingAt: when,
    erp: {
      type: 'object',
      additionalProperties: false,
      required: ['connector', 'state', 'since', 'checkedAt', 'error'],
      properties: {
        connector: { type: 'string' },
        state: { enum: ['unknown', 'up', 'degraded'] },
        since: when,
        checkedAt: when,
        error: { type: ['string', 'null'] },
      },
    },
  },
} as const;

export async function adminDashboardRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get('/v1/admin/dashboard', {
    config: { roles: ['admin' as const] },
    schema: {
      tags: ['admin'],
      summary: 'Dashboard: integrations per hour over the last 24 h by outcome, counts by status, outbox backlog, oldest pending age, ERP state',
      operationId: 'getAdminDashboard',
      response: { 200: dashboardSchema, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' } },
    },
  }, async () => dashboard(deps));
}
