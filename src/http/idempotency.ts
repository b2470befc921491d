// Idempotency-Key on writes: the same key and body within 24 h returns the first answer;
// the same key with another body is 409. Keys are scoped to the API key that sent them.

import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../store/db.js';
import { ConflictError, ValidationError } from '../errors.js';

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TTL = "interval '24 hours'";

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { owner: string; key: string };
  }
}

function bodyHash(request: FastifyRequest): string {
  return createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
}

export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !WRITE.has(request.method)) return;
    if (typeof key !== 'string' || key.length < 1 || key.length > 200) throw ValidationError.field('Idempotency-Key', 'must be 1 to 200 characters');
    const owner = request.apiKey?.id ?? 'anonymous';
    const hash = bodyHash(request);
    await db.query(`DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND created_at < now() - ${TTL}`, [owner, key]);
    const inserted = await db.query(
      `INSERT INTO idempotency_keys (owner, key, method, path, body_hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (owner, key) DO NOTHING RETURNING key`,
      [owner, key, request.method, request.url, hash],
    );
    if (inserted.rowCount) {
      request.idempotency = { owner, key };
      return;
    }
    const { rows } = await db.query('SELECT body_hash, status_code, response FROM idempotency_keys WHERE owner = $1 AND key = $2', [owner, key]);
    const first = rows[0];
    if (!first) return;
    if (first.body_hash !== hash) throw new ConflictError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with another request body', [{ path: 'Idempotency-Key', message: 'reused with a different body' }]);
    if (first.status_code === null) throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still being processed; retry shortly');
    reply.header('idempotent-replayed', 'true');
    return reply.status(first.status_code).send(first.response);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    if (!idem) return payload;
    if (reply.statusCode >= 500) {
      // A failure of ours must not be replayed forever: let the client try again.
      await db.query('DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2', [idem.owner, idem.key]).catch(() => undefined);
      return payload;
    }
    let body: unknown = null;
    try {
      body = typeof payload === 'string' ? JSON.parse(payload) : null;
    } catch {
      body = payload;
    }
    await db.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE owner = $1 AND key = $2', [idem.owner, idem.key, reply.statusCode, JSON.stringify(body)]);
    return payload;
  });
}
