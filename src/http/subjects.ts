// Subjects with their sub-subjects, required fields and workflow (admin; helpdesk keys read them).

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { createSubject, listSubjects, putSubject, readSubject, type SubjectInput } from '../casework/subjects.js';
import { answers, listQuery, pageOf, SHORT_LIST, type ListQuery } from './answers.js';

const subject = { $ref: 'SubjectView#' };

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$' } } } as const;

export async function subjectRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const tags = ['case work'];
  const admin = { roles: ['admin' as const] };
  const read = { roles: ['helpdesk' as const, 'admin' as const] };

  app.post<{ Body: SubjectInput }>('/v1/subjects', {
    config: admin,
    schema: { tags, operationId: 'createSubject', summary: 'Create a subject (the first situation is the initial one; moves must join declared situations)', body: { $ref: 'Subject#' }, response: answers({ 201: subject }) },
  }, async (request, reply) => reply.status(201).send(await createSubject(deps, request.body, actorOf(request))));

  app.get<{ Querystring: ListQuery }>('/v1/subjects', {
    config: read,
    schema: { tags, operationId: 'listSubjects', summary: 'Subjects by name, with their sub-subjects, required fields and workflow', querystring: listQuery({}, SHORT_LIST), response: answers({ 200: pageOf('SubjectView') }) },
  }, async (request) => listSubjects(deps, request.query));

  app.get<{ Params: { id: string } }>('/v1/subjects/:id', {
    config: read,
    schema: { tags, operationId: 'getSubject', summary: 'One subject', params: idParam, response: answers({ 200: subject }, 404) },
  }, async (request) => readSubject(deps, request.params.id));

  app.put<{ Params: { id: string }; Body: SubjectInput }>('/v1/subjects/:id', {
    config: admin,
    schema: {
      tags, operationId: 'putSubject', summary: 'Create (201) or replace (200) a subject (409 when it drops a situation or sub-subject returns still use)',
      params: idParam, body: { $ref: 'Subject#' }, response: answers({ 200: subject, 201: subject }),
    },
  }, async (request, reply) => {
    const { subject, created } = await putSubject(deps, request.params.id, request.body, actorOf(request));
    return reply.status(created ? 201 : 200).send(subject);
  });
}
