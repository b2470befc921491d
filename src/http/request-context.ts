// Every request's id and trace: `X-Request-Id` is the caller's (when short and printable) or a
// new UUID, and is on every answer, errors and event streams included; an HTTP server span
// continues the caller's `traceparent`; both are the correlation of the request's hooks and
// handler (src/telemetry/correlation.ts), so jobs it enqueues and ERP calls it makes carry them.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RawRequestDefaultExpression } from 'fastify';
import { carrierFrom, isRequestId, withCorrelation, type Correlation } from '../telemetry/correlation.js';
import type { Tracing } from '../telemetry/tracing.js';

/** Fastify's genReqId. */
export function requestIdOf(req: RawRequestDefaultExpression): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && isRequestId(given) ? given : randomUUID();
}


export function registerRequestContext(app: FastifyInstance, tracing: Tracing): void {
  const correlations = new WeakMap<FastifyRequest, Correlation>();

  app.addHook('onRequest', (request, reply, done) => {
    // On the raw response: kept through error answers and written by hijacked streams too.
    reply.raw.setHeader('x-request-id', request.id);
    const route = request.routeOptions.url;
    const span = tracing.start(`${request.method} ${route ?? 'unmatched'}`, 'server', carrierFrom(request.headers), {
      'http.request.method': request.method,
      'http.route': route,
      'url.path': request.url.split('?')[0],
      'client.address': request.ip,
      'user_agent.original': request.headers['user-agent'],
    });
    // The response's close, not onResponse: event streams (hijacked replies) end there too.
    if (tracing.enabled) reply.raw.once('close', () => {
      const status = reply.raw.statusCode;
      span.setAttributes({ 'http.response.status_code': status });
      span.end(status >= 500 ? Object.assign(new Error(`answered ${status}`), { code: String(status) }) : undefined);
    });
    const correlation: Correlation = { requestId: request.id, carrier: span.carrier };
    correlations.set(request, correlation);
    withCorrelation(correlation, done);
  });

  // Reading the body leaves the async context of onRequest: enter it again for what follows.
  app.addHook('preValidation', (request, _reply, done) => {
    const correlation = correlations.get(request);
    if (correlation) withCorrelation(correlation, done);
    else done();
  });
}
