// Version release from a chat: 202 once the request is checked against the client's entitled
// version and queued; the outcome arrives as a system message and a `version-release` live event.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { requestVersionRelease, versionReleasesOfChat, type ReleaseRequest } from '../tools/releases/service.js';
import { chatIdParam, chatRoles } from './chats-params.js';

const tags = ['chat tools'];

export async function versionReleaseRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  type Id = { Params: { id: string } };

  app.post<Id & { Body: ReleaseRequest }>('/v1/chats/:id/version-releases', {
    config: chatRoles,
    schema: {
      tags,
      summary: "Release a system version to the chat's client through the updater (400 when the client is not entitled to it)",
      params: chatIdParam,
      body: { $ref: 'VersionReleaseCreate#' },
    },
  }, async (request, reply) => reply.status(202).send(await requestVersionRelease(deps, request.params.id, request.body, actorOf(request))));

  app.get<Id>('/v1/chats/:id/version-releases', {
    config: chatRoles,
    schema: { tags, summary: "A chat's version releases: pending, released (with the updater's id) or failed (with why)", params: chatIdParam },
  }, async (request) => ({ items: await versionReleasesOfChat(deps, request.params.id) }));
}
