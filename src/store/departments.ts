// Departments: each has a waiting queue of chats and the systems whose client versions the
// chat's details panel shows.

import type { Queryable } from './db.js';
import { keysetPage, type PageRequest } from './keyset.js';

export interface Department {
  id: string;
  name: string;
  systems: string[];
  createdAt: string;
  updatedAt: string;
}

interface DepartmentRow { id: string; name: string; systems: string[]; created_at: Date; updated_at: Date }

function toDepartment(r: DepartmentRow): Department {
  return { id: r.id, name: r.name, systems: r.systems, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() };
}

export async function upsertDepartment(q: Queryable, id: string, input: { name: string; systems: string[] }): Promise<{ department: Department; created: boolean }> {
  const { rows } = await q.query<DepartmentRow & { created: boolean }>(
    `INSERT INTO departments (id, name, systems) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, systems = EXCLUDED.systems, updated_at = now()
     RETURNING *, (xmax = 0) AS created`,
    [id, input.name, input.systems],
  );
  const { created, ...row } = rows[0]!;
  return { department: toDepartment(row), created };
}

export async function getDepartment(q: Queryable, id: string): Promise<Department | undefined> {
  const { rows } = await q.query<DepartmentRow>('SELECT * FROM departments WHERE id = $1', [id]);
  return rows[0] ? toDepartment(rows[0]) : undefined;
}

export async function listDepartments(q: Queryable): Promise<Department[]> {
  const { rows } = await q.query<DepartmentRow>('SELECT * FROM departments ORDER BY name, id');
  return rows.map(toDepartment);
}

/** One page of departments by name, then id. */
export async function departmentPage(q: Queryable, page: PageRequest): Promise<{ items: Department[]; nextCursor: string | null }> {
  const { rows, nextCursor } = await keysetPage<DepartmentRow>(q, { select: '*', from: 'departments' }, { columns: [['name', 'text'], ['id', 'text']] }, page);
  return { items: rows.map(toDepartment), nextCursor };
}
