// Maps every failure to the API's JSON error shape `{error: {code, message, details}}`;
// never a stack trace, and 5xx only for what is really ours or a dependency being down.
// An answer stays small whatever was sent: at most MAX_DETAILS details (the message says how
// many more there were) and bounded texts, so one body of 90,000 unknown fields cannot turn
// into megabytes of error.

import type { FastifyError, FastifyInstance } from 'fastify';
import { PonteError, type ErrorDetail } from '../errors.js';

interface AjvIssue { instancePath?: string; message?: string; params?: Record<string, unknown>; keyword?: string }

/** `/client/email` + missingProperty → `client.email`; the body context is implicit. */
function fieldPath(issue: AjvIssue): string {
  const base = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
  const extra = (issue.params?.missingProperty ?? issue.params?.additionalProperty) as string | undefined;
  return [base, extra].filter(Boolean).join('.') || '(body)';
}

export const MAX_DETAILS = 20;
const MAX_TEXT = 300;
const MAX_MESSAGE = 2000;

const clip = (text: string, max = MAX_TEXT) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The first MAX_DETAILS details with bounded texts, and how many were left out. */
function capped(details: ErrorDetail[]): { details: ErrorDetail[]; more: number } {
  const kept = details.slice(0, MAX_DETAILS).map((d) => {
    const out: ErrorDetail = { ...d, message: clip(String(d.message)) };
    if (typeof d.path === 'string') out.path = clip(d.path);
    return out;
  });
  return { details: kept, more: Math.max(0, details.length - MAX_DETAILS) };
}

function errorBody(code: string, message: string, details: ErrorDetail[]) {
  const { details: kept, more } = capped(details);
  return { error: { code, message: clip(more ? `${message}; and ${more} more` : message, MAX_MESSAGE), details: kept } };
}

function validationDetails(issues: AjvIssue[]): ErrorDetail[] {
  return issues.map((issue) => {
    const path = fieldPath(issue);
    const message = issue.keyword === 'additionalProperties' ? 'is not an allowed field' : issue.message ?? 'is invalid';
    return { path, message };
  });
}

const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_CONTENT_LENGTH' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_FILES_LIMIT: { status: 413, code: 'TOO_MANY_FILES' },
  FST_PARTS_LIMIT: { status: 413, code: 'TOO_MANY_PARTS' },
  FST_ERR_RATE_LIMIT: { status: 429, code: 'RATE_LIMITED' },
};

/** PostgreSQL's "invalid byte sequence" / "untranslatable character" (a NUL in a text value). */
function isTextEncodingError(err: unknown): boolean {
  const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  return code === '22021' || code === '22P05';
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof PonteError) {
      if (err.status >= 500) request.log.error({ err }, err.message);
      return reply.status(err.status).send(errorBody(err.code, err.message, err.details));
    }
    if (err.validation) {
      const details = validationDetails(err.validation as AjvIssue[]);
      const where = err.validationContext && err.validationContext !== 'body' ? `${err.validationContext} ` : '';
      const message = `invalid ${where}${details.slice(0, MAX_DETAILS).map((d) => `${d.path}: ${d.message}`).join('; ')}`;
      return reply.status(400).send(errorBody('VALIDATION_FAILED', message, details));
    }
    const known = (err.code ? FASTIFY_CODES[err.code] : undefined) ?? (err.statusCode === 429 ? FASTIFY_CODES.FST_ERR_RATE_LIMIT : undefined);
    if (known) return reply.status(known.status).send(errorBody(known.code, err.message, []));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send(errorBody(err.code ?? 'BAD_REQUEST', err.message, []));
    }
    if (isTextEncodingError(err)) {
      // A character PostgreSQL cannot store that slipped past the input guards: the input's fault.
      return reply.status(400).send(errorBody('INVALID_TEXT', 'a text field holds a character that cannot be stored', []));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error; the request id is in the logs', details: [{ message: `request id ${request.id}` }] } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody('ROUTE_NOT_FOUND', `no route ${request.method} ${clip(request.url.split('?')[0]!)}`, [])),
  );
}
