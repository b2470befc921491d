// Remote access from a chat: create a session (202, created by a queued job), list a chat's
// sessions with their states, and the provider's push of state changes (shared-secret header).

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { PonteError } from '../errors.js';
import type { RemoteState } from '../tools/contracts.js';
import { remoteAccessSettings } from '../tools/providers.js';
import { pushRemoteState, remoteSessionsOfChat, requestRemoteSession } from '../tools/remote/sessions.js';
import { chatIdParam, chatRoles } from './chats-params.js';
import { answers, listQuery, pageOf, SHORT_LIST, type ListQuery } from './answers.js';

export const REMOTE_SECRET_HEADER = 'x-remote-access-secret';
const tags = ['chat tools'];

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison of the pushed secret; 404 while push is not configured. */
async function assertProviderSecret(request: FastifyRequest): Promise<void> {
  const { webhookSecret } = await remoteAccessSettings();
  if (!webhookSecret) throw new PonteError('REMOTE_PUSH_DISABLED', 'pushed remote-access states are off: set REMOTE_ACCESS_WEBHOOK_SECRET (states are pulled meanwhile)', { status: 404 });
  const sent = request.headers[REMOTE_SECRET_HEADER];
  if (typeof sent !== 'string' || !timingSafeEqual(digest(sent), digest(webhookSecret))) {
    throw new PonteError('UNAUTHENTICATED', `missing or wrong ${REMOTE_SECRET_HEADER} header`, { status: 401 });
  }
}

export async function remoteSessionRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  type Id = { Params: { id: string } };

  app.post<Id & { Body: { agentId: string } }>('/v1/chats/:id/remote-sessions', {
    config: chatRoles,
    schema: {
      tags,
      summary: 'Create a remote-access session (state waiting; access code and link arrive once the provider created it)',
      operationId: 'createRemoteSession',
      params: chatIdParam,
      body: { $ref: 'RemoteSessionCreate#' },
      response: answers({ 202: { $ref: 'RemoteSessionView#' } }, 404),
    },
  }, async (request, reply) => reply.status(202).send(await requestRemoteSession(deps, request.params.id, request.body.agentId)));

  app.get<Id & { Querystring: ListQuery }>('/v1/chats/:id/remote-sessions', {
    config: chatRoles,
    schema: {
      tags, operationId: 'listRemoteSessions', params: chatIdParam, querystring: listQuery({}, SHORT_LIST), response: answers({ 200: pageOf('RemoteSessionView') }, 404),
      summary: "A chat's remote-access sessions, oldest first: access code, link, state (waiting|connected|ended|failed) and its history",
    },
  }, async (request) => remoteSessionsOfChat(deps, request.params.id, request.query));

  app.post<{ Body: { sessionId: string; state: RemoteState; reason?: string } }>('/v1/remote-access/events', {
    // The secret is checked before the body is even read; idempotency is scoped to it.
    onRequest: async (request) => {
      await assertProviderSecret(request);
      request.idempotencyScope = `remote-access:${digest(String(request.headers[REMOTE_SECRET_HEADER])).toString('base64url')}`;
    },
    schema: {
      tags,
      summary: 'The remote-access provider pushes a state change (header X-Remote-Access-Secret, no API key)',
      operationId: 'pushRemoteAccessEvent',
      security: [],
      body: { $ref: 'RemoteAccessEvent#' },
      headers: { type: 'object', properties: { [REMOTE_SECRET_HEADER]: { type: 'string', description: 'REMOTE_ACCESS_WEBHOOK_SECRET' } } },
      response: answers({ 200: { $ref: 'RemoteStatePushed#' } }, 401, 404),
    },
  }, async (request) => {
    const { sessionId, state, reason } = request.body;
    return pushRemoteState(deps, sessionId, state, reason);
  });
}
