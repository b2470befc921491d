// Version release from a chat: 202 once the request is checked against the client's entitled
// version and queued; the outcome arrives as a system message and a `version-release` live event.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { requestVersionRelease, versionReleasesOfChat, type ReleaseRequest } from '../tools/releases/service.js';
import { chatIdParam, chatRoles } from './chats-params.js';
import { answers, listQuery, pageOf, SHORT_LIST, type ListQuery } from './answers.js';

const tags = ['chat tools'];

export async function versionReleaseRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  type Id = { Params: { id: string } };

  app.post<Id & { Body: ReleaseRequest }>('/v1/chats/:id/version-releases', {
    config: chatRoles,
    schema: {
      tags,
      summary: "Release a system version to the chat's client through the updater (400 when the client is not entitled to it)",
      operationId: 'requestVersionRelease',
      params: chatIdParam,
      body: { $ref: 'VersionReleaseCreate#' },
      response: answers({ 202: { $ref: 'VersionReleaseView#' } }, 404, 502, 503),
    },
  }, async (request, reply) => reply.status(202).send(await requestVersionRelease(deps, request.params.id, request.body, actorOf(request))));

  app.get<Id & { Querystring: ListQuery }>('/v1/chats/:id/version-releases', {
    config: chatRoles,
    schema: {
      tags, operationId: 'listVersionReleases', params: chatIdParam, querystring: listQuery({}, SHORT_LIST), response: answers({ 200: pageOf('VersionReleaseView') }, 404),
      summary: "A chat's version releases, oldest first: pending, released (with the updater's id) or failed (with why)",
    },
  }, async (request) => versionReleasesOfChat(deps, request.params.id, request.query));
}
