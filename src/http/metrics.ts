// GET /metrics for Prometheus (role metrics, read-only, or admin: Prometheus sends the key as a bearer token), and
// the onResponse hook timing every request. Wrapped with fastify-plugin so the hook reaches
// the routes of every other plugin, not only this one's.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { metricsOf } from '../admin/metrics.js';

async function metricsPlugin(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const metrics = metricsOf(deps);

  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, not the URL: ids in paths would make a series per request.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeHttp(request.method, route, reply.statusCode, reply.elapsedTime);
  });

  app.get('/metrics', {
    config: { roles: ['admin', 'metrics'] },
    schema: {
      tags: ['admin'], operationId: 'getMetrics', summary: 'Prometheus metrics (text exposition format); a key with role metrics may read this and nothing else',
      response: { 200: { description: 'Prometheus text exposition format 0.0.4.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  }, async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
}

export const metricsRoutes = fp(metricsPlugin, { name: 'ponte-metrics', fastify: '5.x' });
