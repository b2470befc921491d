// The explicit error table: what the SOAP service (or what stands in front of it) answered —
// fault code, HTTP status, network error code, the shape of the answer — → ponte's stable code,
// transient (the job engine retries with backoff) or permanent (an admin must act).

import { ConnectorError } from '../../src/errors.js';
import { answerShape, faultOf, looksLikeEnvelope, type BodyElement } from './envelope.js';

export interface ErrorRule {
  code: string;
  kind: 'transient' | 'permanent';
  /** What the admin reads in the integration's error message. */
  admin: string;
}

export const RULES = {
  clientFault: { code: 'SOAP_CLIENT_FAULT', kind: 'permanent', admin: 'the service refused the request (SOAP Client/Sender fault); fix the data or the mappings' },
  serverFault: { code: 'SOAP_SERVER_FAULT', kind: 'transient', admin: 'the service failed (SOAP Server/Receiver fault)' },
  timeout: { code: 'SOAP_TIMEOUT', kind: 'transient', admin: 'the service did not answer in time (SOAP_TIMEOUT_MS)' },
  unreachable: { code: 'SOAP_UNREACHABLE', kind: 'transient', admin: 'the service could not be reached or dropped the connection' },
  badResponse: { code: 'SOAP_BAD_RESPONSE', kind: 'transient', admin: 'the service (or a proxy in front of it) answered something that is not SOAP' },
  // Transient: a truncated or garbled envelope is nearly always transport trouble (a proxy cutting
  // the body, a service dying mid-write). Retrying is safe (writes look up their external reference
  // first) and a service that always answers broken XML still ends up failed once retries run out.
  malformed: { code: 'SOAP_MALFORMED_RESPONSE', kind: 'transient', admin: 'the service answered XML that does not parse' },
  contractMismatch: {
    code: 'SOAP_CONTRACT_MISMATCH',
    kind: 'permanent',
    admin: 'the service does not speak the configured contract (operation, answer element or namespace); check SOAP_WSDL, SOAP_OPERATIONS and SOAP_NAMESPACE',
  },
  authRejected: { code: 'SOAP_AUTH_REJECTED', kind: 'permanent', admin: 'the service refused the credentials (check SOAP_AUTH, SOAP_USERNAME, SOAP_PASSWORD)' },
  httpRejected: { code: 'SOAP_HTTP_REJECTED', kind: 'permanent', admin: 'the service refused the HTTP request without a SOAP answer (check SOAP_URL)' },
  tls: { code: 'SOAP_TLS', kind: 'permanent', admin: "the service's TLS certificate is not trusted; fix the certificate or SOAP_URL" },
  wsdlUnusable: { code: 'SOAP_WSDL_UNUSABLE', kind: 'permanent', admin: 'the WSDL could not be read or parsed (check SOAP_WSDL)' },
  requestUnbuildable: { code: 'SOAP_REQUEST_INVALID', kind: 'permanent', admin: 'the request could not be built from the payload (check the mappings against the WSDL)' },
} as const satisfies Record<string, ErrorRule>;

/**
 * By fault code (SOAP 1.1 faultcode or SOAP 1.2 Code/Value, local part, dotted subcodes dropped).
 * A code outside the standard ones is an application fault ("tns:ValidationError"): the service
 * decided, so it is treated as a Client fault — retrying the same data cannot change its answer.
 */
export const BY_FAULT_CODE: Readonly<Record<string, ErrorRule>> = {
  Client: RULES.clientFault,
  Sender: RULES.clientFault,
  Server: RULES.serverFault,
  Receiver: RULES.serverFault,
  VersionMismatch: RULES.contractMismatch,
  MustUnderstand: RULES.contractMismatch,
  DataEncodingUnknown: RULES.contractMismatch,
};

/** Consulted before the body: a 401/403 means the credentials, whatever fault text came with it. */
export const BY_STATUS: Readonly<Record<number, ErrorRule>> = {
  401: RULES.authRejected,
  403: RULES.authRejected,
};

/** Failures without an answer, by Node/axios error code. */
export const BY_NETWORK_CODE: Readonly<Record<string, ErrorRule>> = {
  ECONNREFUSED: RULES.unreachable,
  ECONNRESET: RULES.unreachable,
  EPIPE: RULES.unreachable,
  EHOSTUNREACH: RULES.unreachable,
  ENETUNREACH: RULES.unreachable,
  ENOTFOUND: RULES.unreachable,
  EAI_AGAIN: RULES.unreachable,
  ERR_BAD_RESPONSE: RULES.badResponse,
  ECONNABORTED: RULES.timeout,
  ETIMEDOUT: RULES.timeout,
  // Our own AbortSignal.timeout fired (the whole-call deadline).
  ERR_CANCELED: RULES.timeout,
  CERT_HAS_EXPIRED: RULES.tls,
  DEPTH_ZERO_SELF_SIGNED_CERT: RULES.tls,
  SELF_SIGNED_CERT_IN_CHAIN: RULES.tls,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: RULES.tls,
  ERR_TLS_CERT_ALTNAME_INVALID: RULES.tls,
};

/** The answer element the WSDL promises for an operation. */
export interface ExpectedAnswer {
  operation: string;
  element: string;
  namespace: string | undefined;
}

export function fail(rule: ErrorRule, detail: string): ConnectorError {
  // No library error as `cause`: axios errors carry the request config (Authorization header,
  // the envelope with the WS-Security password), and causes end up in logs.
  return new ConnectorError(rule.kind, rule.code, `${rule.admin}: ${detail}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const sameElement = (a: BodyElement, b: ExpectedAnswer) => a.name === b.element && a.namespace === b.namespace;

/** A successful-looking answer that is not the promised element, or undefined when it is. */
export function checkAnswer(raw: unknown, status: number | undefined, expected: ExpectedAnswer): ConnectorError | undefined {
  const shape = answerShape(raw);
  if (shape.kind === 'not-soap') return fail(RULES.badResponse, `${expected.operation} answered without a SOAP envelope${status ? ` (HTTP ${status})` : ''}`);
  if (shape.element && sameElement(shape.element, expected)) return undefined;
  const got = shape.element ? `{${shape.element.namespace ?? ''}}${shape.element.name}` : 'an empty Body';
  return fail(RULES.contractMismatch, `${expected.operation} answered ${got}, expected {${expected.namespace ?? ''}}${expected.element}`);
}

/** Whatever node-soap rejected a call with → a ConnectorError. */
export function classifyFailure(err: unknown, expected: ExpectedAnswer): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = isObject(err) ? err : {};
  const response = isObject(e.response) ? e.response : undefined;
  const status = typeof response?.status === 'number' ? response.status : undefined;
  const body = typeof e.body === 'string' ? e.body : typeof response?.data === 'string' ? response.data : undefined;

  if (status === undefined) {
    const code = typeof e.code === 'string' ? e.code : '';
    const rule = BY_NETWORK_CODE[code];
    if (rule) return fail(rule, `${expected.operation}: ${code === 'ERR_CANCELED' ? 'no answer before the call deadline' : code}`);
    // Thrown before anything was sent (node-soap could not serialise the arguments).
    return fail(RULES.requestUnbuildable, `${expected.operation}: ${messageOf(err)}`);
  }
  const byStatus = BY_STATUS[status];
  if (byStatus) return fail(byStatus, `${expected.operation}: HTTP ${status}`);
  const fault = faultOf(e.root);
  if (fault) {
    const rule = BY_FAULT_CODE[fault.code] ?? RULES.clientFault;
    return fail(rule, `${expected.operation}: ${fault.code}: ${fault.reason}`);
  }
  if (!looksLikeEnvelope(body)) {
    const rule = status >= 400 && status < 500 ? RULES.httpRejected : RULES.badResponse;
    return fail(rule, `${expected.operation} answered HTTP ${status} without a SOAP envelope`);
  }
  // node-soap's XML parser reports broken XML as a thrown `{ Fault: { faultstring: 'Invalid XML' } }`.
  const parserFault = isObject(e.Fault) ? e.Fault : undefined;
  if (parserFault?.faultstring === 'Invalid XML') return fail(RULES.malformed, `${expected.operation}: ${String(parserFault.detail ?? '').split('\n')[0]}`);
  // A well-formed envelope node-soap could not map: another operation's element, a foreign namespace.
  return checkAnswer(body, status, expected) ?? fail(RULES.contractMismatch, `${expected.operation}: ${messageOf(err)}`);
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return isObject(err) && typeof err.message === 'string' ? err.message : String(err);
}
