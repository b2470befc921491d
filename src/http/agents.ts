// Agents of the chat screen: create or replace one, list them (online, by department), read one.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { saveAgent } from '../chats/directory.js';
import { getAgent, listAgents, type AgentInput } from '../store/agents.js';
import { NotFoundError } from '../errors.js';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' } } } as const;

export async function agentRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const roles = { roles: ['helpdesk', 'admin'] as Array<'helpdesk' | 'admin'> };

  app.put<{ Params: { id: string }; Body: AgentInput }>('/v1/agents/:id', {
    config: roles,
    schema: { tags: ['agents'], summary: 'Create or replace an agent', params: idParam, body: { $ref: 'Agent#' } },
  }, async (request, reply) => {
    const { agent, created } = await saveAgent(deps, request.params.id, request.body, actorOf(request));
    return reply.status(created ? 201 : 200).send(agent);
  });

  app.get<{ Querystring: { online?: boolean; departmentId?: string } }>('/v1/agents', {
    config: roles,
    schema: {
      tags: ['agents'],
      summary: 'Agents, optionally only the online ones or those of a department',
      querystring: { type: 'object', additionalProperties: false, properties: { online: { type: 'boolean' }, departmentId: { type: 'string', maxLength: 100 } } },
    },
  }, async (request) => ({ items: await listAgents(deps.db, request.query) }));

  app.get<{ Params: { id: string } }>('/v1/agents/:id', {
    config: roles,
    schema: { tags: ['agents'], summary: 'One agent', params: idParam },
  }, async (request) => {
    const agent = await getAgent(deps.db, request.params.id);
    if (!agent) throw new NotFoundError('agent', request.params.id);
    return agent;
  });
}
