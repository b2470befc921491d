// Agents of the chat screen: admins create or change them (departments, profile, spell-check);
// the helpdesk sets their presence all day, lists them and follows an agent's live feed.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { saveAgent, setPresence } from '../chats/directory.js';
import { agentTopic, departmentTopic } from '../chats/chat-change.js';
import { getAgent, listAgents, type AgentInput } from '../store/agents.js';
import { NotFoundError } from '../errors.js';
import { answers, listQuery, pageOf, SSE_ANSWER } from './answers.js';
import { serveStream } from './chats-events.js';
import { eventsFor } from './client-data.js';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' } } } as const;
const agentAnswer = { $ref: 'AgentView#' };

export async function agentRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const roles = { roles: ['helpdesk', 'admin'] as Array<'helpdesk' | 'admin'> };
  const stream = serveStream(app, deps);

  app.put<{ Params: { id: string }; Body: AgentInput }>('/v1/agents/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['agents'], summary: 'Create or replace an agent: departments, profile, spell-check (admin)', params: idParam, body: { $ref: 'Agent#' }, response: answers({ 200: agentAnswer, 201: agentAnswer }, 400, 401, 403) },
  }, async (request, reply) => {
    const { agent, created } = await saveAgent(deps, request.params.id, request.body, actorOf(request));
    return reply.status(created ? 201 : 200).send(agent);
  });

  app.put<{ Params: { id: string }; Body: { online: boolean } }>('/v1/agents/:id/presence', {
    config: roles,
    schema: { tags: ['agents'], summary: 'The agent goes online or offline (only online agents take chats from queues and transfers)', params: idParam, body: { $ref: 'AgentPresence#' }, response: answers({ 200: agentAnswer }, 400, 401, 403, 404) },
  }, async (request) => setPresence(deps, request.params.id, request.body.online, actorOf(request)));

  app.get<{ Querystring: { online?: boolean; departmentId?: string; limit?: number; cursor?: string } }>('/v1/agents', {
    config: roles,
    schema: {
      tags: ['agents'],
      operationId: 'listAgents',
      summary: 'Agents by name, optionally only the online ones or those of a department',
      querystring: listQuery({ online: { type: 'boolean' }, departmentId: { type: 'string', maxLength: 100 } }),
      response: answers({ 200: pageOf('AgentView') }),
    },
  }, async (request) => listAgents(deps.db, request.query));

  app.get<{ Params: { id: string } }>('/v1/agents/:id', {
    config: roles,
    schema: { tags: ['agents'], operationId: 'getAgent', summary: 'One agent', params: idParam, response: answers({ 200: agentAnswer }, 404) },
  }, async (request) => {
    const agent = await getAgent(deps.db, request.params.id);
    if (!agent) throw new NotFoundError('agent', request.params.id);
    return agent;
  });

  app.get<{ Params: { id: string } }>('/v1/agents/:id/events', {
    config: roles,
    schema: {
      tags: ['agents'],
      summary: "The agent's live feed (SSE): incoming transfers (transfer), chats assigned to them (assigned), queue changes of their departments (queue), presence, and their returns' reminders (return.next_action_due, return.delegated); the client's identity only with view_client_data",
      params: idParam,
      produces: ['text/event-stream'],
      response: answers({ 200: SSE_ANSWER }, 401, 403, 404),
    },
  }, async (request, reply) => {
    const agent = await getAgent(deps.db, request.params.id);
    if (!agent) throw new NotFoundError('agent', request.params.id);
    await stream(request, reply, {
      topics: [agentTopic(agent.id), ...agent.departmentIds.map(departmentTopic)],
      greeting: `connected to agent ${agent.id}`,
      base: { agentId: agent.id },
      filter: await eventsFor(deps, request),
    });
  });
}
