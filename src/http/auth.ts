// Bearer API keys with roles. A route opts in with `config: { roles: [...] }`; 401 for a
// missing or unknown key, 403 when the key has none of the route's roles.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKey, KeyResolver, Role } from '../auth/api-keys.js';
import { PonteError } from '../errors.js';
import { actingActor } from '../auth/actor.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    roles?: Role[];
  }
  interface FastifyRequest {
    apiKey: ApiKey | null;
  }
}

export class AuthError extends PonteError {
  constructor(status: 401 | 403, code: string, message: string) {
    super(code, message, { status });
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

export function registerAuth(app: FastifyInstance, keys: KeyResolver): void {
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config?.roles;
    if (!roles) return;
    const secret = bearer(request);
    if (!secret) throw new AuthError(401, 'UNAUTHENTICATED', 'missing API key: send Authorization: Bearer <key>');
    const key = await keys.resolve(secret);
    if (!key) throw new AuthError(401, 'UNAUTHENTICATED', 'unknown or revoked API key');
    if (!roles.some((r) => key.roles.includes(r))) {
      throw new AuthError(403, 'FORBIDDEN', `this route needs role ${roles.join(' or ')}; key "${key.name}" has ${key.roles.join(', ')}`);
    }
    request.apiKey = key;
    request.log = request.log.child({ apiKey: key.name });
  });
}

/** Who to record in history and audit: the key, or "agent:ana via key desk" when a write names its agent. */
export function actorOf(request: FastifyRequest): string {
  const key = request.apiKey?.name ?? 'anonymous';
  return request.actingAgentId ? actingActor(request.actingAgentId, key) : key;
}
