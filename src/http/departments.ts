// Departments (admins keep them): each has a waiting queue and the systems whose client
// versions the chat details show.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { saveDepartment } from '../chats/directory.js';
import { departmentPage, getDepartment } from '../store/departments.js';
import { NotFoundError } from '../errors.js';
import { answers, listQuery, pageOf, SHORT_LIST, type ListQuery } from './answers.js';

const department = { $ref: 'DepartmentView#' };

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' } } } as const;

export async function departmentRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.put<{ Params: { id: string }; Body: { name: string; systems: string[] } }>('/v1/departments/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['departments'], operationId: 'putDepartment', summary: 'Create (201) or replace (200) a department', params: idParam, body: { $ref: 'Department#' }, response: answers({ 200: department, 201: department }) },
  }, async (request, reply) => {
    const { department, created } = await saveDepartment(deps, request.params.id, request.body, actorOf(request));
    return reply.status(created ? 201 : 200).send(department);
  });

  app.get<{ Querystring: ListQuery }>('/v1/departments', {
    config: { roles: ['helpdesk', 'admin'] },
    schema: { tags: ['departments'], operationId: 'listDepartments', summary: 'Departments by name', querystring: listQuery({}, SHORT_LIST), response: answers({ 200: pageOf('DepartmentView') }) },
  }, async (request) => departmentPage(deps.db, request.query));

  app.get<{ Params: { id: string } }>('/v1/departments/:id', {
    config: { roles: ['helpdesk', 'admin'] },
    schema: { tags: ['departments'], operationId: 'getDepartment', summary: 'One department', params: idParam, response: answers({ 200: department }, 404) },
  }, async (request) => {
    const department = await getDepartment(deps.db, request.params.id);
    if (!department) throw new NotFoundError('department', request.params.id);
    return department;
  });
}
