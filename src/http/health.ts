// Liveness and readiness: /health says the process is up; /ready checks the store, the
// job backend and the ERP connector.

import type { FastifyInstance } from 'fastify';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const TIMEOUT_MS = 3000;

function withTimeout(p: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    p.then(resolve, reject).finally(() => clearTimeout(t));
  });
}

export async function healthRoutes(app: FastifyInstance, opts: { checks: ReadinessCheck[]; mode: Record<string, string> }): Promise<void> {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    const results = await Promise.all(
      opts.checks.map(async (c) => {
        try {
          await withTimeout(c.check());
          return [c.name, { ok: true }] as const;
        } catch (err) {
          return [c.name, { ok: false, error: (err as Error).message }] as const;
        }
      }),
    );
    const ready = results.every(([, r]) => r.ok);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', mode: opts.mode, checks: Object.fromEntries(results) });
  });
}
