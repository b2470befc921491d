// One REST request on axios: the strategy's credential per request (never on the shared
// instance), the call context's headers, a time-out, no redirects followed, a bounded answer
// read as text and parsed here — so an HTML page is told apart from JSON — and reported raw.

import axios, { type AxiosInstance } from 'axios';
import type { CallContext } from '../../src/connectors/contract.js';
import type { RestRequest, Transport, WireAnswer } from '../../src/connectors/kinds.js';
import type { Auth } from './auth.js';

/** What one answer may weigh: a whole-table listing beyond this is refused, not read. */
export const MAX_ANSWER_BYTES = 20 * 1024 * 1024;

export function createAxios(baseURL: string, timeoutMs: number): AxiosInstance {
  return axios.create({
    baseURL: baseURL.replace(/\/+$/, ''),
    timeout: timeoutMs,
    // Every status is classified by the outcome rules, so axios must not throw on them.
    validateStatus: () => true,
    headers: { Accept: 'application/json' },
    // A redirect to a login page would otherwise be followed and read as the ERP's answer.
    maxRedirects: 0,
    maxContentLength: MAX_ANSWER_BYTES,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
  });
}

function parse(text: unknown): { body?: unknown; notJson?: boolean } {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { notJson: true };
  }
}

export class RestTransport implements Transport {
  readonly signIn?: (ctx?: CallContext) => Promise<void>;

  constructor(
    private readonly http: AxiosInstance,
    private readonly auth: Auth,
  ) {
    if (auth.signIn) this.signIn = (ctx) => auth.signIn!(ctx);
  }

  async send(request: RestRequest, ctx?: CallContext): Promise<WireAnswer> {
    const { headers: credentials, credential } = await this.auth.apply(ctx);
    const qs = new URLSearchParams(request.query).toString();
    const url = qs ? `${request.path}?${qs}` : request.path;
    const traced = { method: request.method, path: url, ...(request.body === undefined ? {} : { body: request.body }) };
    const data = request.form && request.body !== undefined ? new URLSearchParams(request.body as Record<string, string>).toString() : request.body;
    const headers: Record<string, string> = { ...ctx?.headers, ...request.headers, ...credentials };
    if (request.body !== undefined) headers['Content-Type'] = request.form ? 'application/x-www-form-urlencoded' : 'application/json';
    try {
      const res = await this.http.request({ method: request.method, url, data: data === undefined ? undefined : typeof data === 'string' ? data : JSON.stringify(data), headers });
      const { body, notJson } = parse(res.data);
      const type = res.headers['content-type'];
      const why = notJson ? `HTTP ${res.status}, ${typeof type === 'string' && type ? `content-type ${type}` : 'not JSON'}` : `HTTP ${res.status}`;
      return {
        status: res.status,
        headers: res.headers as Record<string, unknown>,
        body,
        ...(notJson ? { answer: 'not-envelope' as const } : {}),
        why,
        exchange: { operation: '', request: traced, response: body ?? res.data },
        credential,
      };
    } catch (err) {
      // The cause is not kept: an AxiosError carries the request config, Authorization included.
      const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'UNKNOWN';
      return { network: code, why: `${code}: ${(err as Error).message}`, exchange: { operation: '', request: traced }, credential };
    }
  }

  renew(credential: string | undefined): boolean {
    return this.auth.renew(credential);
  }

  async close(): Promise<void> {
    // axios keeps no connections of its own to close.
  }
}
