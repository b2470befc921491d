// The pino root logger, with every secret-bearing field redacted, and the request id and
// trace id of the current request or job on every line.

import { pino, type DestinationStream, type Logger } from 'pino';
import { currentCorrelation, traceIdOf } from './telemetry/correlation.js';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["idempotency-key"]',
  'req.headers["webhook-signature"]',
  'headers.authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.apiKey',
  '*.connectionString',
  'password',
  'secret',
  'token',
];

/** Query-string parameters that carry secrets (the client portal's per-return token) or a person's identifiers. */
const SECRET_QUERY = /([?&](?:token|secret|key|email|clientEmail|taxId|phone|subject)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

/** Marks a logger (and its children) that already carries `requestId` as a binding. */
const BOUND = Symbol('ponte.requestIdBound');

/** An HTTP request's logger, bound to its request id (Fastify's childLoggerFactory). */
export function requestLogger(parent: Logger, bindings: Record<string, unknown>, options: object): Logger {
  const child = parent.child(bindings, options);
  (child as unknown as Record<symbol, boolean>)[BOUND] = true;
  return child;
}

function correlationFields(_merge: object, _level: number, logger: Logger): Record<string, string> {
  const c = currentCorrelation();
  if (!c) return {};
  const fields: Record<string, string> = {};
  if (c.requestId && !(logger as unknown as Record<symbol, boolean>)[BOUND]) fields.requestId = c.requestId;
  const traceId = traceIdOf(c.carrier);
  if (traceId) fields.traceId = traceId;
  return fields;
}

/** `destination`: where lines go (default stdout; tests read them back). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    mixin: correlationFields,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({ id: req.id, method: req.method, url: req.url ? redactUrl(req.url) : req.url }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
