// Departments (admins keep them): each has a waiting queue and the systems whose client
// versions the chat details show.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { saveDepartment } from '../chats/directory.js';
import { getDepartment, listDepartments } from '../store/departments.js';
import { NotFoundError } from '../errors.js';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' } } } as const;

export async function departmentRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.put<{ Params: { id: string }; Body: { name: string; systems: string[] } }>('/v1/departments/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['departments'], summary: 'Create or replace a department', params: idParam, body: { $ref: 'Department#' } },
  }, async (request, reply) => {
    const { department, created } = await saveDepartment(deps, request.params.id, request.body, actorOf(request));
    return reply.status(created ? 201 : 200).send(department);
  });

  app.get('/v1/departments', {
    config: { roles: ['helpdesk', 'admin'] },
    schema: { tags: ['departments'], summary: 'Every department' },
  }, async () => ({ items: await listDepartments(deps.db) }));

  app.get<{ Params: { id: string } }>('/v1/departments/:id', {
    config: { roles: ['helpdesk', 'admin'] },
    schema: { tags: ['departments'], summary: 'One department', params: idParam },
  }, async (request) => {
    const department = await getDepartment(deps.db, request.params.id);
    if (!department) throw new NotFoundError('department', request.params.id);
    return department;
  });
}
