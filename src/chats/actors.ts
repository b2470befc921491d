// Resolves the agents and departments a request names; an unknown one is the caller's
// mistake (400 with the field), not a missing resource.

import type { Queryable } from '../store/db.js';
import { getAgent, type Agent } from '../store/agents.js';
import { getDepartment, type Department } from '../store/departments.js';
import { ValidationError } from '../errors.js';

export async function requireAgent(q: Queryable, id: string, path = 'agentId'): Promise<Agent> {
  const agent = await getAgent(q, id);
  if (!agent) throw ValidationError.field(path, `unknown agent ${id} (create it with PUT /v1/agents/${id})`, 'UNKNOWN_AGENT');
  return agent;
}

export async function requireDepartment(q: Queryable, id: string, path = 'departmentId'): Promise<Department> {
  const department = await getDepartment(q, id);
  if (!department) throw ValidationError.field(path, `unknown department ${id} (an admin creates it with PUT /v1/departments/${id})`, 'UNKNOWN_DEPARTMENT');
  return department;
}
