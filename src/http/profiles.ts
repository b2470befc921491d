// Permission profiles (admin): API keys and agents name one by id.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { createProfile, listProfiles, putProfile, readProfile, type ProfileInput } from '../casework/profiles.js';
import { answers, listQuery, pageOf, SHORT_LIST, type ListQuery } from './answers.js';

const profile = { $ref: 'ProfileView#' };

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$' } } } as const;

export async function profileRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const tags = ['case work'];
  const config = { roles: ['admin' as const] };

  app.post<{ Body: ProfileInput }>('/v1/profiles', {
    config,
    schema: { tags, operationId: 'createProfile', summary: 'Create a permission profile', body: { $ref: 'Profile#' }, response: answers({ 201: profile }) },
  }, async (request, reply) => reply.status(201).send(await createProfile(deps, request.body, actorOf(request))));

  app.get<{ Querystring: ListQuery }>('/v1/profiles', {
    config,
    schema: { tags, operationId: 'listProfiles', summary: 'Permission profiles by name', querystring: listQuery({}, SHORT_LIST), response: answers({ 200: pageOf('ProfileView') }) },
  }, async (request) => listProfiles(deps, request.query));

  app.get<{ Params: { id: string } }>('/v1/profiles/:id', {
    config,
    schema: { tags, operationId: 'getProfile', summary: 'One permission profile', params: idParam, response: answers({ 200: profile }, 404) },
  }, async (request) => readProfile(deps, request.params.id));

  app.put<{ Params: { id: string }; Body: ProfileInput }>('/v1/profiles/:id', {
    config,
    schema: { tags, operationId: 'putProfile', summary: 'Create (201) or replace (200) a permission profile', params: idParam, body: { $ref: 'Profile#' }, response: answers({ 200: profile, 201: profile }) },
  }, async (request, reply) => {
    const { profile, created } = await putProfile(deps, request.params.id, request.body, actorOf(request));
    return reply.status(created ? 201 : 200).send(profile);
  });
}
