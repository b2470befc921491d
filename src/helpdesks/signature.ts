// A helpdesk's own signature is the auth of its webhooks: HMAC over the raw bytes it sent (or
// "<timestamp>.<bytes>"), any configured secret may match (rotation). A refusal is a 401 that
// names the check that failed, so whoever configures the helpdesk knows what to fix.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { PonteError } from '../errors.js';
import type { SignatureScheme } from './descriptor.js';

export type SignatureCheck = 'unsigned' | 'timestamp' | 'signature';

type Headers = Record<string, string | string[] | undefined>;

function refuse(check: SignatureCheck, header: string, message: string): PonteError {
  return new PonteError('INVALID_SIGNATURE', `${check}: ${message}`, { status: 401, details: [{ path: header, check, message }] });
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined || one.trim() === '' ? undefined : one.trim();
}

export function sign(scheme: SignatureScheme, secret: string, rawBody: Buffer, timestamp?: string): string {
  const hmac = createHmac(scheme.algorithm, secret);
  if (scheme.signed === '{timestamp}.{body}') hmac.update(`${timestamp ?? ''}.`);
  return hmac.update(rawBody).digest('hex');
}

function matches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws a 401 INVALID_SIGNATURE naming the check (unsigned, timestamp, signature); returns when one secret matches. */
export function verifySignature(scheme: SignatureScheme, secrets: string[], rawBody: Buffer, headers: Headers, now: Date): void {
  const signature = header(headers, scheme.header);
  if (!signature) throw refuse('unsigned', scheme.header, `the request carries no ${scheme.header} header`);
  let timestamp: string | undefined;
  if (scheme.timestampHeader) {
    timestamp = header(headers, scheme.timestampHeader);
    if (!timestamp || !/^\d{1,12}$/.test(timestamp)) throw refuse('timestamp', scheme.timestampHeader, `${scheme.timestampHeader} must be the send time in Unix seconds`);
  }
  const prefix = scheme.prefix.toLowerCase();
  const given = signature.toLowerCase().startsWith(prefix) ? signature.slice(prefix.length) : undefined;
  if (given === undefined || !secrets.some((secret) => matches(sign(scheme, secret, rawBody, timestamp), given))) {
    throw refuse('signature', scheme.header, `${scheme.header} matches none of the ${secrets.length} configured secret(s): check the secret and that the raw body is signed as sent`);
  }
  if (timestamp) {
    const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp));
    if (skew > scheme.toleranceSeconds) {
      throw refuse('timestamp', scheme.timestampHeader!, `${scheme.timestampHeader} is ${skew} s away from now, more than the ${scheme.toleranceSeconds / 60} minutes allowed (a replay, or a clock to fix)`);
    }
  }
}
