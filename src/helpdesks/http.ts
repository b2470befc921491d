// One call to a helpdesk API: bounded in time and in the size of the answer, redirects not
// followed, JSON both ways. Every failure is a HelpdeskCallError saying whether a retry can help.

import http from 'node:http';
import https from 'node:https';
import { PonteError } from '../errors.js';

/** A page of messages is a few hundred kilobytes; more is not an answer ponte can use. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
const EXCERPT_BYTES = 1024;

export class HelpdeskCallError extends PonteError {
  constructor(code: string, message: string, readonly transient: boolean, readonly statusCode?: number, readonly excerpt?: string) {
    super(code, message, { status: 502, retryable: transient });
  }
}

export interface CallResult { statusCode: number; body: unknown; excerpt: string }

export interface CallOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  /** The setting an admin fixes when the token is refused (CHATWOOT_API_TOKEN, ...). */
  tokenSetting: string;
}

function failure(err: unknown, timeoutMs: number): HelpdeskCallError {
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new HelpdeskCallError('HELPDESK_TIMEOUT', `no answer within ${timeoutMs} ms`, true);
  return new HelpdeskCallError('HELPDESK_UNREACHABLE', `${e?.code ?? 'network error'}: ${e?.message ?? String(err)}`, true);
}

function outcome(statusCode: number, raw: Buffer, tokenSetting: string): CallResult {
  const text = raw.toString('utf8');
  const excerpt = text.slice(0, EXCERPT_BYTES);
  if (statusCode === 429 || statusCode >= 500) throw new HelpdeskCallError(`HELPDESK_HTTP_${statusCode}`, `the helpdesk answered ${statusCode}`, true, statusCode, excerpt);
  if (statusCode === 401 || statusCode === 403) {
    throw new HelpdeskCallError('HELPDESK_AUTH_REJECTED', `the helpdesk refused the API token (${statusCode}): check ${tokenSetting}`, false, statusCode, excerpt);
  }
  if (statusCode < 200 || statusCode >= 300) throw new HelpdeskCallError(`HELPDESK_HTTP_${statusCode}`, `the helpdesk answered ${statusCode}`, false, statusCode, excerpt);
  let body: unknown;
  try {
    body = text.trim() === '' ? null : JSON.parse(text);
  } catch {
    throw new HelpdeskCallError('HELPDESK_BAD_ANSWER', 'the helpdesk answered with something that is not JSON', false, statusCode, excerpt);
  }
  return { statusCode, body, excerpt };
}

export function callHelpdesk(url: URL, options: CallOptions): Promise<CallResult> {
  const client = url.protocol === 'https:' ? https : http;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: options.method,
      headers: {
        accept: 'application/json',
        'user-agent': 'ponte-helpdesks/1',
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
        ...options.headers,
      },
      signal: AbortSignal.timeout(options.timeoutMs),
      agent: false,
    }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          request.destroy();
          reject(new HelpdeskCallError('HELPDESK_ANSWER_TOO_LARGE', `the helpdesk's answer is larger than ${MAX_ANSWER_BYTES} bytes`, false, response.statusCode));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        try {
          resolve(outcome(response.statusCode ?? 0, Buffer.concat(chunks), options.tokenSetting));
        } catch (err) {
          reject(err);
        }
      });
      response.on('error', (err) => reject(failure(err, options.timeoutMs)));
    });
    request.on('error', (err) => reject(failure(err, options.timeoutMs)));
    request.end(payload);
  });
}
