// Limits before work. Before authentication, an address that already earned RATE_LIMIT_MAX
// failures (400, 401) in the window is refused with 429: wrong-key guessing and junk bodies
// stop there, without a key lookup or a body parse. After authentication every request counts
// against its key (or, for routes without a key, its address). Counters are shared by every
// process (src/limits/counters.ts); addresses are counted by hash, never stored. Probes are
// never limited. The address is the client's behind a proxy only when TRUST_PROXY says so.

import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PonteError } from '../errors.js';
import type { Counters, Window } from '../limits/counters.js';

/** Liveness and readiness probes: an orchestrator must always get their real answer. */
const EXEMPT = new Set(['/health', '/ready']);
/** Answers that count as a failure of the caller's address. */
const FAILURES = new Set([400, 401]);

export interface RateLimitOptions { counters: Counters; max: number }

const exempt = (request: FastifyRequest) => EXEMPT.has(request.routeOptions.url ?? '');
const addressBucket = (request: FastifyRequest) => createHash('sha256').update(`ponte rate limit\n${request.ip}`).digest('base64url').slice(0, 22);

class RateLimited extends PonteError {
  constructor(message: string) {
    super('RATE_LIMITED', message, { status: 429, retryable: true });
  }
}

function headers(reply: FastifyReply, max: number, window: Window, used: number): void {
  reply
    .header('x-ratelimit-limit', max)
    .header('x-ratelimit-remaining', Math.max(0, max - used))
    .header('x-ratelimit-reset', Math.ceil(window.resetMs / 1000));
}

function refuse(reply: FastifyReply, window: Window, message: string): never {
  reply.header('retry-after', Math.max(1, Math.ceil(window.resetMs / 1000)));
  throw new RateLimited(message);
}

/** Registered before the key check: refuses addresses with too many recent failures. */
export function registerAddressLimit(app: FastifyInstance, { counters, max }: RateLimitOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    if (exempt(request)) return;
    const failures = await counters.peek(`fail:${addressBucket(request)}`);
    if (failures.count >= max) {
      headers(reply, max, failures, failures.count);
      refuse(reply, failures, `too many failed requests from this address; retry after ${Math.ceil(failures.resetMs / 1000)} s`);
    }
  });
  // Counted before the answer leaves, so the next request of that caller already sees it. An
  // answer refused before its key was known (401) tells how many failures the address has left.
  app.addHook('onSend', async (request, reply, payload) => {
    if (FAILURES.has(reply.statusCode) && !exempt(request)) {
      const failures = await counters.hit(`fail:${addressBucket(request)}`);
      if (!reply.hasHeader('x-ratelimit-limit')) headers(reply, max, failures, failures.count);
    }
    return payload;
  });
}

/** Registered after the key check: every request of a key (or of an address, without one). */
export function registerKeyLimit(app: FastifyInstance, { counters, max }: RateLimitOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    if (exempt(request)) return;
    const bucket = request.apiKey ? `key:${request.apiKey.id}` : `anon:${addressBucket(request)}`;
    const window = await counters.hit(bucket);
    headers(reply, max, window, window.count);
    if (window.count > max) refuse(reply, window, `rate limit of ${max} requests per window reached; retry after ${Math.ceil(window.resetMs / 1000)} s`);
  });
}
