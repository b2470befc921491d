// buildApp(deps): the Fastify instance with every plugin and route, without listen(),
// so tests call app.inject() and `ponte serve` adds the port.

import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import { registerErrorHandling } from './http/error-handler.js';
import { registerAuth } from './http/auth.js';
import { registerIdempotency } from './http/idempotency.js';
import { healthRoutes } from './http/health.js';
import { registerRoutes } from './http/routes.js';
import { KeyResolver } from './auth/api-keys.js';
import { loadSchemas } from './schemas.js';
import type { Deps } from './deps.js';

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimitBytes,
    genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].length <= 64 ? req.headers['x-request-id'] : crypto.randomUUID()),
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true }, plugins: [] },
    routerOptions: { maxParamLength: 200 },
  });

  registerErrorHandling(app);
  for (const { schema } of await loadSchemas('api')) app.addSchema(schema);

  await app.register(swagger, {
    openapi: {
      info: { title: 'ponte', description: 'Helpdesk ⇄ Bimer-style ERP gateway', version: '1' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerAuth(app, new KeyResolver(deps.db));
  if (deps.config.rateLimitMax > 0) {
    await app.register(rateLimit, {
      global: true,
      max: deps.config.rateLimitMax,
      timeWindow: deps.config.rateLimitWindowMs,
      // Per API key when there is one; anonymous callers (portal, health) by address.
      keyGenerator: (request) => request.apiKey?.id ?? request.ip,
      hook: 'preHandler',
    });
  }
  registerIdempotency(app, deps.db);

  await app.register(healthRoutes, {
    checks: [
      { name: 'store', check: () => deps.db.ping() },
      { name: 'jobs', check: () => deps.jobs.ping() },
      { name: 'connector', check: () => deps.connector.ping() },
    ],
    mode: { store: deps.config.databaseUrl ? 'postgresql' : 'embedded', jobs: deps.jobs.kind, connector: deps.connector.name },
  });
  await registerRoutes(app, deps);
  return app;
}
