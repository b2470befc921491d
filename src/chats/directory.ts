// Agents and departments, kept by admins (departments) and the helpdesk (agents); every
// change is audited with who made it.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { ValidationError } from '../errors.js';
import { NotFoundError } from '../errors.js';
import { getAgent, setOnline, upsertAgent, type Agent, type AgentInput } from '../store/agents.js';
import { agentTopic, departmentTopic } from './chat-change.js';
import { upsertDepartment, type Department } from '../store/departments.js';

async function audit(q: Queryable, actor: string, action: string, targetType: string, targetId: string, changes: object): Promise<void> {
  await q.query('INSERT INTO audit_events (actor, action, target_type, target_id, changes) VALUES ($1, $2, $3, $4, $5)', [actor, action, targetType, targetId, JSON.stringify(changes)]);
}

export async function saveAgent(deps: Deps, id: string, input: AgentInput, actor: string): Promise<{ agent: Agent; created: boolean }> {
  return deps.db.tx(async (q) => {
    if (input.profileId) {
      const { rows: profiles } = await q.query('SELECT 1 FROM profiles WHERE id = $1', [input.profileId]);
      if (!profiles[0]) throw ValidationError.field('profileId', `unknown profile ${input.profileId} (an admin creates it with PUT /v1/profiles/${input.profileId})`, 'UNKNOWN_PROFILE');
    }
    const { rows } = await q.query<{ id: string }>('SELECT id FROM departments WHERE id = ANY($1::text[])', [input.departmentIds]);
    const known = new Set(rows.map((r) => r.id));
    const unknown = input.departmentIds.map((d, i) => ({ d, i })).filter(({ d }) => !known.has(d));
    if (unknown.length) {
      throw new ValidationError(`unknown department(s): ${unknown.map((u) => u.d).join(', ')}`, unknown.map(({ d, i }) => ({ path: `departmentIds.${i}`, message: `unknown department ${d}` })), 'UNKNOWN_DEPARTMENT');
    }
    const saved = await upsertAgent(q, id, input);
    await audit(q, actor, saved.created ? 'agent.created' : 'agent.updated', 'agent', id, input);
    return saved;
  });
}

export async function saveDepartment(deps: Deps, id: string, input: { name: string; systems: string[] }, actor: string): Promise<{ department: Department; created: boolean }> {
  return deps.db.tx(async (q) => {
    const saved = await upsertDepartment(q, id, input);
    await audit(q, actor, saved.created ? 'department.created' : 'department.updated', 'department', id, input);
    return saved;
  });
}

/** An agent goes online or offline; their departments' feeds hear of it (the transfer picker lists online agents). */
export async function setPresence(deps: Deps, id: string, online: boolean, actor: string): Promise<Agent> {
  const agent = await deps.db.tx(async (q) => {
    const before = await getAgent(q, id);
    if (!before) throw new NotFoundError('agent', id);
    if (before.online === online) return before;
    const after = await setOnline(q, id, online);
    await audit(q, actor, 'agent.presence', 'agent', id, { online: { from: before.online, to: online } });
    return after;
  });
  const data = { agentId: agent.id, name: agent.name, online: agent.online };
  for (const topic of [agentTopic(agent.id), ...agent.departmentIds.map(departmentTopic)]) {
    await deps.live.publish(topic, 'presence', data).catch((err) => deps.log.warn({ err, agentId: id }, 'presence live event not published'));
  }
  return agent;
}
