// buildApp(deps): the Fastify instance with every plugin and route, without listen(),
// so tests call app.inject() and `ponte serve` adds the port. Limits come first: server
// time-outs and header size, the address limit before the key check, the key limit right
// after it, then body parsing, the input guards and validation.

import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { registerErrorHandling } from './http/error-handler.js';
import { clientErrorHandler } from './http/client-errors.js';
import { registerRequestContext, requestIdOf } from './http/request-context.js';
import { registerAuth } from './http/auth.js';
import { registerActingAgent } from './http/acting-agent.js';
import { registerIdempotency } from './http/idempotency.js';
import { registerAccessLog } from './data-subjects/access-log.js';
import { registerAddressLimit, registerKeyLimit } from './http/rate-limit.js';
import { registerInputGuards } from './http/input-guards.js';
import { Counters, counterStoreFor } from './limits/counters.js';
import { healthRoutes } from './http/health.js';
import { registerRoutes } from './http/routes.js';
import { keyResolverFor } from './auth/api-keys.js';
import { SHIPPED_SCHEMA_OPTIONS, loadSchemas } from './schemas.js';
import { documentRoute, swaggerOptions } from './http/openapi.js';
import { docsRoutes } from './http/docs-page.js';
import { lazySerializers, lazyValidators } from './http/lazy-compilers.js';
import type { Deps } from './deps.js';
import { requestLogger, type Logger } from './log.js';

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    // Fastify accepts a hop count too (proxy-addr), its types do not say so.
    trustProxy: config.trustProxy as FastifyServerOptions['trustProxy'],
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      maxHeaderSize: config.maxHeaderBytes,
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
      // How often Node looks for requests past their time-out (its default, 30 s, would let a slow body linger).
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(config.requestTimeoutMs / 4))),
    },
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    childLoggerFactory: (logger, bindings, options) => requestLogger(logger as Logger, bindings, options) as FastifyBaseLogger,
    schemaController: { compilersFactory: { buildSerializer: lazySerializers(), buildValidator: lazyValidators() } },
    ajv: { customOptions: { ...SHIPPED_SCHEMA_OPTIONS, allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true }, plugins: [] },
    // The URL is bounded by MAX_HEADER_BYTES: a path parameter of any length reaches its route's
    // schema, whose 400 names the parameter (the router's own refusal would be a bare 414).
    routerOptions: { maxParamLength: config.maxHeaderBytes },
    clientErrorHandler,
  });
  // JSON routes take JSON only: a body labelled text/plain is 415, as any other wrong type is.
  app.removeContentTypeParser('text/plain');

  registerErrorHandling(app);
  registerRequestContext(app, deps.tracing);
  for (const { schema } of await loadSchemas('api')) app.addSchema(schema);

  app.addHook('onRoute', documentRoute);
  await app.register(swagger, swaggerOptions(await loadSchemas('events'), '1'));
  docsRoutes(app);

  const limits = config.rateLimitMax > 0
    ? { max: config.rateLimitMax, counters: new Counters(counterStoreFor(config, deps.db), config.rateLimitWindowMs, deps.clock, deps.log, deps.jobs.name('ratelimit:')) }
    : undefined;
  if (limits) {
    app.addHook('onClose', () => limits.counters.close());
    registerAddressLimit(app, limits);
  }
  registerAuth(app, keyResolverFor(deps.db));
  if (limits) registerKeyLimit(app, limits);
  registerInputGuards(app);
  registerActingAgent(app, deps.db);
  registerIdempotency(app, deps);
  registerAccessLog(app, deps);

  await app.register(healthRoutes, { deps });
  await registerRoutes(app, deps);
  return app;
}
