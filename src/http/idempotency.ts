// Idempotency-Key on writes: the same key and body within 24 h returns the first answer; the
// same key with another body is 409. It runs after authorization (a preHandler, after the key
// check and the routes' own onRequest checks such as the portal token's), and is scoped to
// who was authorized: the API key, or the portal token and its return (routes without either
// refuse the header). Only successful answers are kept: a failure (4xx, 5xx) releases the key
// so the caller may retry. A request cut by a crash holds its key for LEASE_MS, no longer.
// Secrets shown once (new API keys, portal tokens and links, webhook secrets) are not kept:
// a replay omits them and lists them in `secretsOmitted`. Rows expire after 24 h.

import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { ConflictError, ValidationError } from '../errors.js';

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TTL_MS = 24 * 3600_000;
export const LEASE_MS = 60_000;
const SWEEP_EVERY_MS = 10 * 60_000;
/** Fields of an answer that carry a secret shown only once. */
export const SECRET_FIELDS = ['secret', 'portalToken', 'portalUrl'];

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { owner: string; key: string };
    /** Who a request without an API key was authorized as (e.g. a portal token), for idempotency. */
    idempotencyScope?: string;
  }
}

/** The answer as it may be stored: secret fields removed, and named in `secretsOmitted`. */
export function withoutSecrets(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const omitted = SECRET_FIELDS.filter((f) => f in body);
  if (!omitted.length) return body;
  const kept = Object.fromEntries(Object.entries(body).filter(([k]) => !SECRET_FIELDS.includes(k)));
  return { ...kept, secretsOmitted: omitted };
}

export function registerIdempotency(app: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'keyring'>): void {
  const { db, clock } = deps;
  const hashKey = deps.keyring.derive('idempotency');
  let sweptAt = 0;
  const bodyHash = (request: FastifyRequest) =>
    createHmac('sha256', hashKey).update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !WRITE.has(request.method)) return;
    if (typeof key !== 'string' || key.length < 1 || key.length > 200) throw ValidationError.field('Idempotency-Key', 'must be 1 to 200 characters');
    const owner = request.apiKey?.id ?? request.idempotencyScope;
    if (!owner) throw ValidationError.field('Idempotency-Key', 'is only accepted with an API key or a portal token', 'IDEMPOTENCY_NOT_SUPPORTED');
    const now = clock.now();
    if (now.getTime() - sweptAt > SWEEP_EVERY_MS) {
      sweptAt = now.getTime();
      await db.query('DELETE FROM idempotency_keys WHERE expires_at < $1', [now]);
    }
    const hash = bodyHash(request);
    // A new key, one whose row expired, or one whose request never finished (crash) is ours.
    const claimed = await db.query(
      `INSERT INTO idempotency_keys (owner, key, method, path, body_hash, created_at, locked_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
       ON CONFLICT (owner, key) DO UPDATE SET method = EXCLUDED.method, path = EXCLUDED.path, body_hash = EXCLUDED.body_hash,
         status_code = NULL, response = NULL, created_at = EXCLUDED.created_at, locked_at = EXCLUDED.locked_at, expires_at = EXCLUDED.expires_at
       WHERE idempotency_keys.expires_at < $6 OR (idempotency_keys.status_code IS NULL AND idempotency_keys.locked_at < $8)
       RETURNING key`,
      [owner, key, request.method, request.url.split('?')[0], hash, now, new Date(now.getTime() + TTL_MS), new Date(now.getTime() - LEASE_MS)],
    );
    if (claimed.rowCount) {
      request.idempotency = { owner, key };
      return;
    }
    const { rows } = await db.query('SELECT body_hash, status_code, response FROM idempotency_keys WHERE owner = $1 AND key = $2', [owner, key]);
    const first = rows[0];
    if (!first) return;
    if (first.status_code === null) throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', `a request with this Idempotency-Key is still being processed; retry shortly (a request cut short frees its key after ${LEASE_MS / 1000} s)`);
    if (first.body_hash !== hash) throw new ConflictError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with another request body', [{ path: 'Idempotency-Key', message: 'reused with a different body' }]);
    reply.header('idempotent-replayed', 'true');
    return first.response === null ? reply.status(first.status_code).send() : reply.status(first.status_code).send(first.response);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    if (!idem) return payload;
    request.idempotency = undefined;
    if (reply.statusCode < 200 || reply.statusCode >= 300) {
      // Only a success is an answer worth repeating: after a failure the caller may try again.
      await db.query('DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2', [idem.owner, idem.key]).catch(() => undefined);
      return payload;
    }
    let body: unknown = null;
    if (typeof payload === 'string' && payload !== '') {
      try {
        body = JSON.parse(payload);
      } catch {
        body = payload;
      }
    }
    await db.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE owner = $1 AND key = $2', [idem.owner, idem.key, reply.statusCode, JSON.stringify(withoutSecrets(body))]);
    return payload;
  });
}
