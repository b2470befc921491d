// The probes, public (no key): /health says the process is alive and nothing else, so an
// orchestrator restarts only a stuck process; /ready says it can take work — the store and the
// job backend answer — and reports the ERP's state beside it: an ERP outage is `degraded`,
// still 200, because the outbox keeps accepting work while the ERP is away.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';

/** A store or job backend that does not answer in this time is not ready. */
const CHECK_TIMEOUT_MS = 2000;

function withTimeout(p: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    p.then(resolve, reject).finally(() => clearTimeout(t));
  });
}

const check = {
  type: 'object',
  required: ['ok'],
  properties: { ok: { type: 'boolean' }, error: { type: 'string' } },
  additionalProperties: false,
};

const readySchema = {
  type: 'object',
  required: ['status', 'mode', 'checks', 'erp'],
  properties: {
    status: { enum: ['ready', 'degraded', 'not ready'], description: '`degraded`: ready, but the ERP is not answering (work is accepted and waits in the outbox)' },
    mode: {
      type: 'object',
      required: ['store', 'jobs', 'connector'],
      properties: { store: { enum: ['embedded', 'postgresql'] }, jobs: { enum: ['redis', 'postgres'] }, connector: { type: 'string' } },
    },
    checks: {
      type: 'object',
      description: 'What readiness depends on.',
      required: ['store', 'jobs'],
      properties: { store: check, jobs: check },
    },
    erp: {
      type: 'object',
      description: "The ERP's state, reported but never making the probe fail.",
      required: ['state', 'since', 'checkedAt', 'error'],
      properties: {
        state: { enum: ['unknown', 'up', 'degraded'] },
        since: { type: ['string', 'null'], format: 'date-time' },
        checkedAt: { type: ['string', 'null'], format: 'date-time' },
        error: { type: ['string', 'null'] },
      },
    },
  },
} as const;

export async function healthRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const mode = { store: deps.config.databaseUrl ? 'postgresql' : 'embedded', jobs: deps.jobs.kind, connector: deps.connector.name };
  const checks = [
    { name: 'store', check: () => deps.db.ping() },
    { name: 'jobs', check: () => deps.jobs.ping() },
  ];

  app.get('/health', {
    schema: {
      tags: ['probes'], summary: 'Liveness: the process is up', operationId: 'getHealth', security: [],
      response: { 200: { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } } },
    },
  }, async () => ({ status: 'ok' }));

  app.get('/ready', {
    schema: {
      tags: ['probes'], summary: 'Readiness: the store and the job backend answer; the ERP state is reported', operationId: 'getReady', security: [],
      response: { 200: readySchema, 503: readySchema },
    },
  }, async (_request, reply) => {
    const [results, erp] = await Promise.all([
      Promise.all(checks.map(async (c) => {
        try {
          await withTimeout(c.check());
          return [c.name, { ok: true }] as const;
        } catch (err) {
          return [c.name, { ok: false, error: (err as Error).message }] as const;
        }
      })),
      deps.erp.current(),
    ]);
    const ready = results.every(([, r]) => r.ok);
    const status = !ready ? 'not ready' : erp.state === 'degraded' ? 'degraded' : 'ready';
    return reply.status(ready ? 200 : 503).send({ status, mode, checks: Object.fromEntries(results), erp });
  });
}
