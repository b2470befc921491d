// The pino root logger, with every secret-bearing field redacted.

import { pino, type Logger } from 'pino';

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

/** Query-string parameters that carry secrets (the client portal's per-return token). */
const SECRET_QUERY = /([?&](?:token|secret|key)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({ id: req.id, method: req.method, url: req.url ? redactUrl(req.url) : req.url }),
    },
  });
}

export type { Logger };
