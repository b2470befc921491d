// The explicit error table: what Bimer answered (ErrorCode, HTTP status, network error code)
// → ponte's stable code, transient (the job engine retries with backoff) or permanent (an admin acts).

import { ConnectorError, type ErrorDetail } from '../../src/errors.js';
import { asEnvelope, type BimerErro } from './envelope.js';

export interface ErrorRule {
  code: string;
  kind: 'transient' | 'permanent';
  /** What the admin reads in the integration's error message. */
  admin: string;
}

const TIMEOUT: ErrorRule = { code: 'ERP_TIMEOUT', kind: 'transient', admin: 'the ERP did not answer in time' };
const UNREACHABLE: ErrorRule = { code: 'ERP_UNREACHABLE', kind: 'transient', admin: 'the ERP could not be reached' };
const TLS: ErrorRule = { code: 'ERP_TLS', kind: 'permanent', admin: "the ERP's TLS certificate is not trusted; fix the certificate or BIMER_URL" };
const AUTH_REJECTED: ErrorRule = {
  code: 'ERP_AUTH_REJECTED',
  kind: 'permanent',
  admin: 'the ERP refused the credentials or this user (check BIMER_CLIENT_ID/SECRET, BIMER_USERNAME/PASSWORD and the user’s permissions)',
};

/**
 * Consulted first: Bimer's HTTP status is unreliable (400 for both not-found and validation,
 * 500 for an invalid body), so a 500 carrying "-1" is still a permanent validation error.
 */
export const BY_ERP_CODE: Readonly<Record<string, ErrorRule>> = {
  C01: { code: 'ERP_NOT_FOUND', kind: 'permanent', admin: 'the ERP has no such record' },
  '-1': { code: 'ERP_VALIDATION', kind: 'permanent', admin: 'the ERP refused the data' },
  // Only reached after the one retry with a freshly issued token. A new token refused as
  // expired points at the ERP's token store or clock (replication lag, skew), which recovers.
  T01: { code: 'ERP_AUTH', kind: 'transient', admin: 'the ERP refused a freshly issued token' },
};

/**
 * By HTTP status, when no known ErrorCode came back. A bare 401 after the retry with a
 * fresh token is permanent: the token is new, so the ERP refuses the user itself, and
 * retrying with the same credentials cannot help (and may lock the account).
 */
export const BY_STATUS: Readonly<Record<number, ErrorRule>> = {
  401: AUTH_REJECTED,
  403: AUTH_REJECTED,
  408: TIMEOUT,
  429: { code: 'ERP_RATE_LIMITED', kind: 'transient', admin: 'the ERP asked us to slow down' },
};
const SERVER_ERROR: ErrorRule = { code: 'ERP_UNAVAILABLE', kind: 'transient', admin: 'the ERP failed (HTTP 5xx)' };
/** Any other 4xx without a known ErrorCode: a wrong path or method, which a retry cannot fix. */
const CLIENT_ERROR: ErrorRule = { code: 'ERP_REJECTED', kind: 'permanent', admin: 'the ERP refused the request (check BIMER_URL and the mappings)' };
/** Redirects are not followed (a login page would pass for an answer); they mean BIMER_URL is wrong (http vs https, path). */
const REDIRECT: ErrorRule = { code: 'ERP_REJECTED', kind: 'permanent', admin: 'the ERP answered with a redirect (check BIMER_URL)' };
/** A 2xx envelope whose ErrorCode this table does not know. */
const UNKNOWN_ERP_CODE: ErrorRule = { code: 'ERP_REJECTED', kind: 'permanent', admin: 'the ERP reported an unknown error' };
/** Not the envelope: typically a proxy or maintenance page in front of the ERP, which passes. */
const BAD_RESPONSE: ErrorRule = { code: 'ERP_BAD_RESPONSE', kind: 'transient', admin: 'the ERP answered something that is not its JSON envelope' };

/** By Node/axios error code, when no answer came at all. Unknown codes count as unreachable. */
export const BY_NETWORK_CODE: Readonly<Record<string, ErrorRule>> = {
  ECONNABORTED: TIMEOUT,
  ETIMEDOUT: TIMEOUT,
  ESOCKETTIMEDOUT: TIMEOUT,
  ECONNREFUSED: UNREACHABLE,
  ECONNRESET: UNREACHABLE,
  EPIPE: UNREACHABLE,
  EAI_AGAIN: UNREACHABLE,
  ENOTFOUND: UNREACHABLE,
  EHOSTUNREACH: UNREACHABLE,
  ENETUNREACH: UNREACHABLE,
  ERR_NETWORK: UNREACHABLE,
  CERT_HAS_EXPIRED: TLS,
  DEPTH_ZERO_SELF_SIGNED_CERT: TLS,
  SELF_SIGNED_CERT_IN_CHAIN: TLS,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: TLS,
  ERR_TLS_CERT_ALTNAME_INVALID: TLS,
};

export interface AnswerSeen {
  status: number;
  data: unknown;
  headers?: Record<string, unknown>;
}

export interface CallSeen {
  operation: string;
  /** Payload field names, to name the field a validation error's PossibleCause talks about. */
  fields?: string[];
  now?: () => number;
}

export function statusRule(status: number): ErrorRule | undefined {
  if (BY_STATUS[status]) return BY_STATUS[status];
  if (status >= 500) return SERVER_ERROR;
  if (status >= 400) return CLIENT_ERROR;
  if (status >= 300) return REDIRECT;
  return undefined;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: () => number = Date.now): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}

/** The payload field an ERP error is about: a known field named in PossibleCause, else its "Field:" prefix. */
export function fieldOf(erro: BimerErro, fields: string[] = []): string | undefined {
  const text = `${erro.PossibleCause ?? ''} ${erro.ErrorMessage ?? ''}`;
  const known = fields.filter((f) => new RegExp(`\\b${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text)).sort((a, b) => b.length - a.length)[0];
  return known ?? /^\s*([A-Z][A-Za-z]+)\s*:/.exec(erro.PossibleCause ?? '')?.[1];
}

function describe(erro: BimerErro): string {
  return [`ErrorCode ${erro.ErrorCode}`, erro.ErrorMessage, erro.PossibleCause].filter(Boolean).join(' — ');
}

function build(rule: ErrorRule, call: CallSeen, why: string, extra: { details?: ErrorDetail[]; retryAfterMs?: number; cause?: unknown } = {}): ConnectorError {
  return new ConnectorError(rule.kind, rule.code, `${call.operation}: ${rule.admin} (${why})`, extra);
}

/** The error an answer means, or undefined when it is a success (2xx envelope without Erros). */
export function classifyResponse(answer: AnswerSeen, call: CallSeen): ConnectorError | undefined {
  const envelope = asEnvelope(answer.data);
  const erros = envelope?.Erros ?? [];
  const details = erros.map((e): ErrorDetail => ({ path: fieldOf(e, call.fields), message: describe(e), erpCode: e.ErrorCode }));
  const known = erros.find((e) => BY_ERP_CODE[e.ErrorCode]);
  if (known) return build(BY_ERP_CODE[known.ErrorCode]!, call, `HTTP ${answer.status}, ${erros.map(describe).join('; ')}`, { details });

  const byStatus = statusRule(answer.status);
  if (byStatus) {
    const retryAfterMs = answer.status === 429 ? parseRetryAfter(answer.headers?.['retry-after'], call.now) : undefined;
    const why = erros.length ? `HTTP ${answer.status}, ${erros.map(describe).join('; ')}` : `HTTP ${answer.status}`;
    return build(byStatus, call, why, { details, retryAfterMs });
  }
  if (!envelope) return build(BAD_RESPONSE, call, `HTTP ${answer.status}, ${bodyKind(answer)}`);
  if (erros.length) return build(UNKNOWN_ERP_CODE, call, `HTTP ${answer.status}, ${erros.map(describe).join('; ')}`, { details });
  return undefined;
}

/** A 2xx envelope whose rows lack what the contract promises (see records.ts). */
export function badResponse(operation: string, why: string): ConnectorError {
  return build(BAD_RESPONSE, { operation }, why);
}

function bodyKind(answer: AnswerSeen): string {
  const type = answer.headers?.['content-type'];
  return typeof type === 'string' && type ? `content-type ${type}` : `a ${typeof answer.data} body`;
}

/** The token endpoint speaks OAuth, not the envelope: `{access_token, ...}` or `{error, error_description}`. */
export function classifyTokenAnswer(answer: AnswerSeen, call: CallSeen): ConnectorError | undefined {
  const body = (typeof answer.data === 'object' && answer.data !== null ? answer.data : {}) as Record<string, unknown>;
  if (answer.status >= 200 && answer.status < 300) {
    return typeof body.access_token === 'string' && body.access_token ? undefined : build(BAD_RESPONSE, call, `HTTP ${answer.status}, no access_token`);
  }
  const oauth = typeof body.error === 'string' ? [body.error, body.error_description].filter((x) => typeof x === 'string').join(': ') : undefined;
  // invalid_client / invalid_grant and friends: the configuration is wrong, not the network.
  const rule = oauth && answer.status === 400 ? AUTH_REJECTED : statusRule(answer.status) ?? BAD_RESPONSE;
  const retryAfterMs = answer.status === 429 ? parseRetryAfter(answer.headers?.['retry-after'], call.now) : undefined;
  return build(rule, call, [`HTTP ${answer.status}`, oauth].filter(Boolean).join(', '), { retryAfterMs });
}

/**
 * A failure without an answer. The cause is rebuilt from the code and message only: an
 * AxiosError carries the request config, Authorization header included, into any log.
 */
export function classifyNetworkError(err: unknown, call: CallSeen): ConnectorError {
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'UNKNOWN';
  const message = err instanceof Error ? err.message : String(err);
  const rule = BY_NETWORK_CODE[code] ?? UNREACHABLE;
  const cause = Object.assign(new Error(message), { code });
  return build(rule, call, `${code}: ${message}`, { cause });
}
