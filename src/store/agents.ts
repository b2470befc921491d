// Agents of the chat screen (seed 001 "Cadastro/Agente"): departments, online flag, spellcheck.

import type { Queryable } from './db.js';
import { decodeCursor, encodeCursor, pageLimit } from '../admin/cursor.js';

export interface Agent {
  id: string;
  name: string;
  departmentIds: string[];
  online: boolean;
  spellcheck: boolean;
  profileId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AgentInput {
  name: string;
  departmentIds: string[];
  online: boolean;
  spellcheck: boolean;
  profileId?: string | null;
}

interface AgentRow {
  id: string;
  name: string;
  department_ids: string[];
  online: boolean;
  spellcheck: boolean;
  profile_id: string | null;
  created_at: Date;
  updated_at: Date;
}

function toAgent(r: AgentRow): Agent {
  return {
    id: r.id,
    name: r.name,
    departmentIds: r.department_ids,
    online: r.online,
    spellcheck: r.spellcheck,
    profileId: r.profile_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Creates or replaces the agent; `created` tells which. */
export async function upsertAgent(q: Queryable, id: string, input: AgentInput): Promise<{ agent: Agent; created: boolean }> {
  const { rows } = await q.query<AgentRow & { created: boolean }>(
    `INSERT INTO agents (id, name, department_ids, online, spellcheck, profile_id) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, department_ids = EXCLUDED.department_ids, online = EXCLUDED.online,
       spellcheck = EXCLUDED.spellcheck, profile_id = EXCLUDED.profile_id, updated_at = now()
     RETURNING *, (xmax = 0) AS created`,
    [id, input.name, input.departmentIds, input.online, input.spellcheck, input.profileId ?? null],
  );
  const { created, ...row } = rows[0]!;
  return { agent: toAgent(row), created };
}

export async function getAgent(q: Queryable, id: string): Promise<Agent | undefined> {
  const { rows } = await q.query<AgentRow>('SELECT * FROM agents WHERE id = $1', [id]);
  return rows[0] ? toAgent(rows[0]) : undefined;
}

/** One page of agents by name (then id), keyed on (name, id). */
export async function listAgents(
  q: Queryable, filter: { online?: boolean; departmentId?: string; limit?: number; cursor?: string },
): Promise<{ items: Agent[]; nextCursor: string | null }> {
  const limit = pageLimit(filter.limit);
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.online !== undefined) {
    values.push(filter.online);
    where.push(`online = $${values.length}`);
  }
  if (filter.departmentId !== undefined) {
    values.push(filter.departmentId);
    where.push(`$${values.length} = ANY(department_ids)`);
  }
  if (filter.cursor) {
    const [name, id] = decodeCursor<[string, string]>(filter.cursor, [isText, isText]);
    values.push(name, id);
    where.push(`(name, id) > ($${values.length - 1}, $${values.length})`);
  }
  const { rows } = await q.query<AgentRow>(
    `SELECT * FROM agents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name, id LIMIT ${limit + 1}`,
    values,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(toAgent), nextCursor: rows.length > limit && last ? encodeCursor([last.name, last.id]) : null };
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= 200;

export async function setOnline(q: Queryable, id: string, online: boolean): Promise<Agent> {
  const { rows } = await q.query<AgentRow>('UPDATE agents SET online = $2, updated_at = now() WHERE id = $1 RETURNING *', [id, online]);
  return toAgent(rows[0]!);
}
