// The queue board (@bull-board) at /admin/queues, behind the admin role. The board runs in a
// Fastify instance of its own, made at its first request (src/http/lazy-instance.ts), behind
// routes that carry no `config.roles`, so the app's key check never sees them: an encapsulated
// plugin adds its own onRequest hook in front of them. A caller is admitted by
// a Bearer admin key (curl, tools) or by the `ponte_admin` session cookie that the admin page
// obtains at POST /v1/admin/session (browsers cannot add a Bearer header to page loads). The
// cookie is HttpOnly, SameSite=Strict, Secure over https (X-Forwarded-Proto counts when
// TRUST_PROXY trusts the proxy) and scoped to /admin/queues; writes through it must also come
// from this origin. Anything but a valid session is 401.

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { keyResolverFor, type ApiKey } from '../auth/api-keys.js';
import { AuthError } from './auth.js';
import { QUEUES } from '../jobs/queues.js';
import { forwardToLazyInstance } from './lazy-instance.js';
import { SESSION_COOKIE, SESSION_TTL_SECONDS, issueSession, readCookie, revokeSessions, verifySession } from '../admin/session.js';

export const BOARD_PATH = '/admin/queues';

function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function deny(reply: FastifyReply, err: AuthError): FastifyReply {
  // Answered here rather than thrown: the board's plugin may install its own error handler.
  return reply.status(err.status).header('www-authenticate', 'Bearer').send({ error: err.toJSON() });
}

/** The onRequest hook of the board's scope. */
export function adminGuard(deps: Deps) {
  const keys = keyResolverFor(deps.db);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    let key: ApiKey | null | undefined;
    if (bearer) {
      key = await keys.resolve(bearer);
    } else {
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      key = token ? await verifySession(deps.db, deps.keyring, token, deps.clock.now()) : undefined;
      if (key && !['GET', 'HEAD'].includes(request.method) && !sameOrigin(request)) {
        return void deny(reply, new AuthError(403, 'FORBIDDEN', 'queue board changes must come from the board itself'));
      }
    }
    if (!key) return void deny(reply, new AuthError(401, 'UNAUTHENTICATED', 'sign in on /admin first, or send Authorization: Bearer <admin key>'));
    if (!key.roles.includes('admin')) return void deny(reply, new AuthError(403, 'FORBIDDEN', `the queue board needs role admin; key "${key.name}" has ${key.roles.join(', ')}`));
    request.apiKey = key;
  };
}

/**
 * The board itself, in a Fastify instance of its own made at its first request: bull-board, its
 * views and static files are ≈150 ms of every start that most starts never use.
 */
async function buildBoard(deps: Deps): Promise<FastifyInstance> {
  const [{ FastifyAdapter }, { createBullBoard }, { BullMQAdapter }] = await Promise.all([
    import('@bull-board/fastify'),
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
  ]);
  const board = Fastify();
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({ queues: Object.values(QUEUES).map((q) => new BullMQAdapter(deps.jobs.queue(q))), serverAdapter });
  await board.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
  await board.ready();
  return board;
}

async function boardScope(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.addHook('onRequest', adminGuard(deps));
  forwardToLazyInstance(app, BOARD_PATH, () => buildBoard(deps));
}

function sessionCookie(request: FastifyRequest, value: string, maxAge: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=${BOARD_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;
}

export async function adminQueueRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const config = { roles: ['admin' as const] };
  app.post('/v1/admin/session', {
    config,
    schema: {
      tags: ['admin'], operationId: 'openAdminSession', summary: 'Trade the admin key for a queue-board cookie (8 h, HttpOnly, SameSite=Strict)',
      response: { 204: { type: 'null', description: 'The cookie is in Set-Cookie.', headers: { 'set-cookie': { type: 'string' } } } },
    },
  }, async (request, reply: FastifyReply) => {
    const token = await issueSession(deps.db, deps.keyring, request.apiKey!.id, deps.clock.now());
    if (!token) throw new AuthError(401, 'UNAUTHENTICATED', 'the key was revoked');
    return reply.header('set-cookie', sessionCookie(request, token, SESSION_TTL_SECONDS)).status(204).send();
  });
  app.delete('/v1/admin/session', {
    config,
    schema: {
      tags: ['admin'], operationId: 'closeAdminSession', summary: 'Sign out of the queue board: ends every board session of this key and drops the cookie',
      response: { 204: { type: 'null', description: 'The cookie is cleared.' } },
    },
  }, async (request, reply) => {
    await revokeSessions(deps.db, request.apiKey!.id, deps.clock.now());
    return reply.header('set-cookie', sessionCookie(request, '', 0)).status(204).send();
  });

  await app.register(boardScope, { deps });
}
