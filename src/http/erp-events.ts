// POST /v1/erp/events: the ERP's signed pushes. The JSON parser of this plugin keeps the raw
// body (the signature covers the exact bytes sent); the intake verifies, then parses.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { ErpEventIntake } from '../erp-events/intake.js';
import { BATCH_LIMIT } from '../domain/erp-event-rules.js';
import { metricsOf } from '../admin/metrics.js';
import { answers } from './answers.js';
import { documentedBody } from './openapi.js';

const result = { $ref: 'ErpEventResult#' };

/** A full batch of product versions is larger than a usual API body. */
const MIN_BODY_LIMIT = 4 * 1024 * 1024;

export async function erpEventRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const intake = await ErpEventIntake.create(deps);
  // Encapsulated: only this plugin's routes get the raw-string parser.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post('/v1/erp/events', {
    config: { roles: ['erp'] },
    bodyLimit: Math.max(deps.config.bodyLimitBytes, MIN_BODY_LIMIT),
    schema: {
      tags: ['erp'],
      operationId: 'pushErpEvents',
      ...documentedBody({ 'application/json': { oneOf: [{ $ref: 'ErpEvent#' }, { $ref: 'ErpEventBatch#' }] } }),
      response: answers({ 200: { oneOf: [result, { $ref: 'ErpEventBatchResult#' }] } }, 503),
      summary: 'ERP push: one event or a batch, signed with Standard Webhooks',
      description:
        `Body: one ErpEvent, or {events: ErpEvent[]} with at most ${BATCH_LIMIT} events (more → 413 BATCH_TOO_LARGE). ` +
        'Headers webhook-id, webhook-timestamp (unix seconds, ±5 min) and webhook-signature (v1,<base64 HMAC-SHA256 of "id.timestamp.body">) ' +
        'signed with a secret of PONTE_ERP_SECRETS; otherwise 401 INVALID_SIGNATURE. Per event: applied, duplicate (same id again), ' +
        'stale (older than the stored state), pending_client (applied when the client appears) or invalid (with details). ' +
        'A single invalid event answers 400.',
      headers: {
        type: 'object',
        properties: { 'webhook-id': { type: 'string' }, 'webhook-timestamp': { type: 'string' }, 'webhook-signature': { type: 'string' } },
      },
    },
  }, async (request) => {
    const raw = typeof request.body === 'string' ? request.body : '';
    const answer = await intake.receive(raw, request.headers, request.log);
    const results = answer.batch ? answer.results : [answer.result];
    const accepted = results.filter((r) => r.outcome !== 'invalid').length;
    if (accepted) metricsOf(deps).erpEventsReceived.inc(accepted);
    return answer.batch ? { results: answer.results, counts: answer.counts } : answer.result;
  });
}
