// POST /v1/inbound/<helpdesk> for every helpdesk of mappings/helpdesks/ (chatwoot, zammad, ...).
// No API key: the helpdesk's own signature is the auth, checked over the raw bytes before the
// body is validated, so an unsigned call is a 401 whatever it carries.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { authenticate, receiveInbound } from '../helpdesks/intake.js';
import type { Helpdesk } from '../helpdesks/registry.js';

/** Zammad sends whole user records with each ticket: a little more room than a usual API body. */
const MIN_BODY_LIMIT = 2 * 1024 * 1024;
const NOT_JSON = Symbol('not JSON');

const errors = { 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 409: { $ref: 'Error#' }, 413: { $ref: 'Error#' }, 415: { $ref: 'Error#' }, 503: { $ref: 'Error#' } };

function headersDoc(h: Helpdesk): Record<string, unknown> {
  const s = h.descriptor.signature;
  const properties: Record<string, unknown> = {
    [s.header]: { type: 'string', description: `${s.prefix}<hex HMAC-${s.algorithm.toUpperCase()} of ${s.signed === '{body}' ? 'the raw body' : `"<${s.timestampHeader}>.<raw body>"`}>` },
  };
  if (s.timestampHeader) properties[s.timestampHeader] = { type: 'string', description: `Unix seconds; more than ${s.toleranceSeconds / 60} minutes off is refused` };
  if (h.descriptor.deliveryHeader) properties[h.descriptor.deliveryHeader] = { type: 'string', description: 'Delivery id: the same one again is answered 200 duplicate' };
  return { type: 'object', properties };
}

export async function inboundRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const raws = new WeakMap<FastifyRequest, Buffer>();
  // Encapsulated: only these routes keep the raw bytes (the signature covers them as sent).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    raws.set(request, body as Buffer);
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(null, NOT_JSON);
    }
  });
  const schemas = app.getSchemas() as Record<string, unknown>;

  for (const h of deps.helpdesks.list()) {
    const { name, label, settingsPrefix } = h.descriptor;
    const bodyId = `${label}Webhook`;
    app.post(`/v1/inbound/${name}`, {
      bodyLimit: Math.max(deps.config.bodyLimitBytes, MIN_BODY_LIMIT),
      schema: {
        tags: ['helpdesks'],
        summary: `${label} posts its webhooks here; a finished conversation becomes a closed chat with its integration`,
        description:
          `No API key: signed by ${label} with ${settingsPrefix}_WEBHOOK_SECRET (any of them during a rotation); unsigned, wrong signature` +
          `${h.descriptor.signature.timestampHeader ? ' or stale timestamp' : ''} → 401 INVALID_SIGNATURE naming the check (details[0].check: unsigned, timestamp, signature); ` +
          `no secret configured → 503 HELPDESK_DISABLED. A payload that cannot be a finished session → 400 naming the payload's field, nothing written. ` +
          `A conversation whose chat retention or a data-subject erasure removed → 409 SESSION_FORGOTTEN, nothing written again.`,
        security: [],
        headers: headersDoc(h),
        body: schemas[bodyId] ? { $ref: `${bodyId}#` } : { type: 'object' },
        response: { 200: { $ref: 'InboundAnswer#' }, 202: { $ref: 'InboundAnswer#' }, ...errors },
      },
      // Before the body schema: the signature decides first.
      preValidation: async (request) => {
        authenticate(deps, h, raws.get(request) ?? Buffer.alloc(0), request.headers);
        if (request.body === NOT_JSON) throw new ValidationError('the body is not JSON', [{ path: '(body)', message: 'is not JSON' }], 'INVALID_JSON');
      },
    }, async (request, reply) => {
      const { httpStatus, answer } = await receiveInbound(deps, h, raws.get(request) ?? Buffer.alloc(0), request.headers);
      return reply.status(httpStatus).send(answer);
    });
  }
}
