// Part of the tool-provider contract: the REST conventions both provider connectors speak
// (bearer API key, JSON both ways, a timeout per call, HTTP statuses mapped by one table).

import { ConnectorError } from '../errors.js';
import { providerErrorCode, providerHttpError, providerNetworkError, type ProviderLogger } from './contracts.js';

export interface ProviderTarget {
  url: string;
  apiKey: string;
  timeoutMs: number;
}

export interface ProviderCall {
  provider: string;
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One call; every failure is a ConnectorError whose kind says whether a retry can help. */
export async function callProvider(target: ProviderTarget, call: ProviderCall, log: ProviderLogger): Promise<Record<string, unknown>> {
  const { provider, operation } = call;
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(new URL(call.path.replace(/^\//, ''), target.url.replace(/\/?$/, '/')), {
      method: call.method,
      headers: {
        authorization: `Bearer ${target.apiKey}`,
        accept: 'application/json',
        ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...call.headers,
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (err) {
    throw providerNetworkError(provider, operation, err);
  }
  const text = await res.text().catch(() => '');
  log.debug({ provider, operation, status: res.status, durationMs: Math.round(performance.now() - started) }, 'provider call');
  if (!res.ok) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw providerHttpError(provider, operation, res.status, text.slice(0, 200), Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!body || typeof body !== 'object') throw badAnswer(provider, operation, 'the answer is not a JSON object');
  return body as Record<string, unknown>;
}

/** The provider answered 2xx with something ponte cannot use: retrying will not change it. */
export function badAnswer(provider: string, operation: string, what: string): ConnectorError {
  return ConnectorError.permanent(providerErrorCode(provider, 'BAD_ANSWER'), `${provider} ${operation}: ${what}`);
}
