// One Bimer API call: bearer per request, one retry with a fresh token after 401/T01, the
// exchange traced, the envelope unwrapped into ListaObjetos or a classified ConnectorError.

import axios, { type AxiosInstance } from 'axios';
import type { CallContext, ConnectorLogger } from '../../src/connectors/contract.js';
import type { TokenSource } from './auth.js';
import { asEnvelope, erpErrorCodes } from './envelope.js';
import { classifyNetworkError, classifyResponse, type CallSeen } from './errors.js';
import { recordExchange } from './trace.js';

export function createAxios(baseURL: string, timeoutMs: number): AxiosInstance {
  return axios.create({
    baseURL: baseURL.replace(/\/+$/, ''),
    timeout: timeoutMs,
    // Every status is classified by errors.ts (ErrorCode first), so axios must not throw on them.
    validateStatus: () => true,
    headers: { Accept: 'application/json' },
    // A redirect to a login page would otherwise be followed and read as the ERP's answer.
    maxRedirects: 0,
  });
}

export interface BimerCall {
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, unknown>;
}

interface Answer {
  status: number;
  data: unknown;
  headers: Record<string, unknown>;
}

export class BimerHttp {
  constructor(
    private readonly http: AxiosInstance,
    private readonly tokens: TokenSource,
    private readonly log: ConnectorLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs the call and returns ListaObjetos; any failure is a ConnectorError. */
  async call(call: BimerCall, ctx?: CallContext): Promise<unknown[]> {
    let token = await this.tokens.token(ctx);
    let answer = await this.send(call, token, ctx);
    if (answer.status === 401 || erpErrorCodes(answer.data).includes('T01')) {
      // The ERP may drop tokens early (restart, revocation): one retry with a fresh token.
      this.tokens.invalidate(token);
      token = await this.tokens.token(ctx);
      answer = await this.send(call, token, ctx);
    }
    const seen: CallSeen = { operation: call.operation, fields: call.body ? Object.keys(call.body) : undefined, now: this.now };
    const error = classifyResponse(answer, seen);
    if (error) throw error;
    return asEnvelope(answer.data)!.ListaObjetos;
  }

  private async send(call: BimerCall, token: string, ctx?: CallContext): Promise<Answer> {
    const started = this.now();
    const seen = { operation: call.operation, method: call.method, path: call.path, body: call.body };
    try {
      const res = await this.http.request({
        method: call.method,
        url: call.path,
        data: call.body,
        // Per request, never on the shared instance's defaults: concurrent calls must not see each other's token.
        headers: { Authorization: `Bearer ${token}` },
      });
      const answer: Answer = { status: res.status, data: res.data, headers: res.headers as Record<string, unknown> };
      recordExchange(ctx, this.log, { ...seen, status: answer.status, response: answer.data, durationMs: this.now() - started });
      return answer;
    } catch (err) {
      const error = classifyNetworkError(err, { operation: call.operation });
      recordExchange(ctx, this.log, { ...seen, error: (error.cause as { code?: string }).code, durationMs: this.now() - started });
      throw error;
    }
  }
}
