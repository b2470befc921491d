// The acting agent of a write: named by the X-Agent-Id header or by the body's agentId (both
// must agree), checked to be an agent of ponte, and required on keys made with requireAgent.
// Every write it names is recorded as "agent:<id> via key <key name>" (actorOf). A read names
// its agent by the same header or by `?agentId=` (both must agree): the agent's profile then
// narrows what the read shows (private notes, client data), whichever of the two was used.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Queryable } from '../store/db.js';
import { getAgent } from '../store/agents.js';
import { ValidationError } from '../errors.js';
import { AGENT_HEADER, namedAgent } from '../auth/actor.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const AGENT_ID = /^[A-Za-z0-9._@-]{1,100}$/;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A POST that writes nothing (a preview, a spell-check): no acting agent required. */
    readOnly?: boolean;
  }
  interface FastifyRequest {
    /** The agent acting in this write or read, once checked; null when none was named. */
    actingAgentId: string | null;
  }
}

function headerAgent(request: FastifyRequest): string | undefined {
  const value = request.headers['x-agent-id'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !AGENT_ID.test(value)) {
    throw ValidationError.field(AGENT_HEADER, 'must be one agent id (letters, digits, . _ @ -, up to 100 characters)', 'INVALID_AGENT_HEADER');
  }
  return value;
}

// Only routes that register @fastify/multipart have request.isMultipart(): read the type.
const isMultipart = (request: FastifyRequest) => /^multipart\//i.test(String(request.headers['content-type'] ?? ''));

function bodyAgent(request: FastifyRequest): string | undefined {
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const agentId = (body as { agentId?: unknown }).agentId;
  return typeof agentId === 'string' ? agentId : undefined;
}

export async function checkAgent(q: Queryable, named: { id: string; path: string }): Promise<string> {
  if (!(await getAgent(q, named.id))) {
    throw ValidationError.field(named.path, `unknown agent ${named.id} (an admin creates it with PUT /v1/agents/${named.id})`, 'UNKNOWN_AGENT');
  }
  return named.id;
}

/**
 * preHandler on authenticated writes (the body is parsed by then). Multipart bodies are read
 * by their route later, so there only the header counts here (chat uploads check their
 * agentId field against it).
 */
export function registerActingAgent(app: FastifyInstance, db: Queryable): void {
  app.decorateRequest('actingAgentId', null);
  app.addHook('preHandler', async (request) => {
    const key = request.apiKey;
    if (!key || request.routeOptions.config?.readOnly) return;
    if (!WRITES.has(request.method)) {
      const header = headerAgent(request);
      if (!header) return;
      const query = (request.query as { agentId?: unknown } | undefined)?.agentId;
      namedAgent(header, typeof query === 'string' ? query : undefined);
      request.actingAgentId = await checkAgent(db, { id: header, path: AGENT_HEADER });
      return;
    }
    const named = namedAgent(headerAgent(request), isMultipart(request) ? undefined : bodyAgent(request));
    if (!named) {
      if (key.requireAgent) {
        throw ValidationError.field(AGENT_HEADER, `key "${key.name}" requires every write to name its acting agent: send ${AGENT_HEADER}: <agent id> (or the body's agentId)`, 'AGENT_REQUIRED');
      }
      return;
    }
    request.actingAgentId = await checkAgent(db, named);
  });
}
