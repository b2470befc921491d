// Permission profiles, managed by admins: a name and a set of permissions. API keys
// (PONTE_API_KEYS `name:role:secret:profileId`) and agents name a profile by its id.
// Changes go to the audit log under target_type 'profile'.

import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Queryable } from '../store/db.js';
import { keysetPage, type PageRequest } from '../store/keyset.js';
import { plainText } from '../domain/return-format.js';
import type { Permission } from '../domain/permissions.js';

export interface ProfileInput { id?: string; name: string; permissions: Permission[] }

interface ProfileRow { id: string; name: string; permissions: string[]; created_at: Date; updated_at: Date }

const view = (r: ProfileRow) => ({ id: r.id, name: r.name, permissions: r.permissions, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() });

export async function getProfile(q: Queryable, id: string): Promise<ProfileRow | undefined> {
  const { rows } = await q.query<ProfileRow>('SELECT * FROM profiles WHERE id = $1', [id]);
  return rows[0];
}

function clean(input: ProfileInput): { name: string; permissions: string[] } {
  const name = plainText(input.name);
  if (!name) throw ValidationError.field('name', 'must contain text');
  return { name, permissions: [...new Set(input.permissions)].sort() };
}

async function audit(q: Queryable, actor: string, action: string, id: string, changes: object, at: Date): Promise<void> {
  await q.query("INSERT INTO audit_events (at, actor, action, target_type, target_id, changes) VALUES ($1, $2, $3, 'profile', $4, $5)", [at, actor, action, id, JSON.stringify(changes)]);
}

export async function createProfile(deps: Deps, input: ProfileInput, actor: string) {
  const p = clean(input);
  const id = input.id ?? randomUUID();
  const now = deps.clock.now();
  const row = await deps.db.tx(async (q) => {
    const { rows } = await q.query<ProfileRow>(
      'INSERT INTO profiles (id, name, permissions, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (id) DO NOTHING RETURNING *',
      [id, p.name, p.permissions, now],
    );
    if (!rows[0]) throw new ConflictError('PROFILE_EXISTS', `profile ${id} already exists (change it with PUT /v1/profiles/${id})`, [{ path: 'id', message: 'already exists' }]);
    await audit(q, actor, 'profile.created', id, { name: { from: null, to: p.name }, permissions: { from: null, to: p.permissions } }, now);
    return rows[0];
  });
  return view(row);
}

/** Creates or replaces the profile; `created` tells which. */
export async function putProfile(deps: Deps, id: string, input: ProfileInput, actor: string) {
  if (input.id !== undefined && input.id !== id) throw ValidationError.field('id', `must be ${id} (the id in the path) or left out`);
  const p = clean(input);
  const now = deps.clock.now();
  return deps.db.tx(async (q) => {
    const { rows: before } = await q.query<ProfileRow>('SELECT * FROM profiles WHERE id = $1 FOR UPDATE', [id]);
    const { rows } = await q.query<ProfileRow>(
      `INSERT INTO profiles (id, name, permissions, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, permissions = EXCLUDED.permissions, updated_at = EXCLUDED.updated_at RETURNING *`,
      [id, p.name, p.permissions, now],
    );
    const old = before[0];
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (old?.name !== p.name) changes.name = { from: old?.name ?? null, to: p.name };
    if (JSON.stringify(old?.permissions ?? null) !== JSON.stringify(p.permissions)) changes.permissions = { from: old?.permissions ?? null, to: p.permissions };
    if (Object.keys(changes).length) await audit(q, actor, old ? 'profile.updated' : 'profile.created', id, changes, now);
    return { profile: view(rows[0]!), created: !old };
  });
}

/** One page of profiles by name, then id. */
export async function listProfiles(deps: Deps, page: PageRequest) {
  const { rows, nextCursor } = await keysetPage<ProfileRow>(deps.db, { select: '*', from: 'profiles' }, { columns: [['name', 'text'], ['id', 'text']] }, page);
  return { items: rows.map(view), nextCursor };
}

export async function readProfile(deps: Deps, id: string) {
  const row = await getProfile(deps.db, id);
  if (!row) throw new NotFoundError('profile', id);
  return view(row);
}
