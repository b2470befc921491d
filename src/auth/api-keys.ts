// API keys: stored as SHA-256 hashes (the secrets are random, so a slow hash adds nothing),
// looked up by hash and compared in constant time; seeded from PONTE_API_KEYS.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { ValidationError } from '../errors.js';

export const ROLES = ['helpdesk', 'erp', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  id: string;
  name: string;
  roles: Role[];
  profileId: string | null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateSecret(): string {
  return `pk_${randomBytes(24).toString('base64url')}`;
}

function parseRoles(spec: string, where: string): Role[] {
  const roles = spec.split('+');
  for (const r of roles) {
    if (!(ROLES as readonly string[]).includes(r)) throw ValidationError.field(where, `unknown role "${r}" (roles: ${ROLES.join(', ')})`);
  }
  return roles as Role[];
}

export interface KeySpec { name: string; roles: Role[]; secret: string; profileId?: string }

/** `name:role[+role]:secret[:profileId],...` */
export function parseKeySpecs(spec: string): KeySpec[] {
  return spec.split(',').filter(Boolean).map((entry, i) => {
    const [name, roles, secret, profileId] = entry.split(':');
    if (!name || !roles || !secret) throw ValidationError.field(`PONTE_API_KEYS[${i}]`, 'expected name:role[+role]:secret');
    return { name, roles: parseRoles(roles, `PONTE_API_KEYS[${i}]`), secret, profileId };
  });
}

export async function createKey(q: Queryable, spec: { name: string; roles: string; profileId?: string }): Promise<{ key: ApiKey; secret: string }> {
  const roles = parseRoles(spec.roles, 'role');
  const secret = generateSecret();
  const { rows } = await q.query<{ id: string }>(
    'INSERT INTO api_keys (name, roles, hash, profile_id) VALUES ($1, $2, $3, $4) RETURNING id',
    [spec.name, roles, hashSecret(secret), spec.profileId ?? null],
  );
  return { key: { id: rows[0]!.id, name: spec.name, roles, profileId: spec.profileId ?? null }, secret };
}

/** Inserts or updates the seeded keys (a changed secret or role in the env takes effect). */
export async function seedKeys(q: Queryable, specs: KeySpec[]): Promise<void> {
  for (const s of specs) {
    await q.query(
      `INSERT INTO api_keys (name, roles, hash, profile_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET roles = EXCLUDED.roles, hash = EXCLUDED.hash, profile_id = EXCLUDED.profile_id, revoked_at = NULL`,
      [s.name, s.roles, hashSecret(s.secret), s.profileId ?? null],
    );
  }
}

export async function listKeys(q: Queryable): Promise<Array<ApiKey & { createdAt: Date; revokedAt: Date | null }>> {
  const { rows } = await q.query('SELECT id, name, roles, profile_id, created_at, revoked_at FROM api_keys ORDER BY name');
  return rows.map((r) => ({ id: r.id, name: r.name, roles: r.roles, profileId: r.profile_id, createdAt: r.created_at, revokedAt: r.revoked_at }));
}

export async function revokeKey(q: Queryable, name: string): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE api_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL', [name]);
  return (rowCount ?? 0) > 0;
}

const CACHE_MS = 5000;

/** Resolves bearer secrets to keys; a short cache keeps the database off the hot path. */
export class KeyResolver {
  private cache = new Map<string, { key: ApiKey | null; until: number }>();

  constructor(private readonly q: Queryable) {}

  async resolve(secret: string): Promise<ApiKey | null> {
    const hash = hashSecret(secret);
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.key;
    const { rows } = await this.q.query('SELECT id, name, roles, profile_id, hash FROM api_keys WHERE hash = $1 AND revoked_at IS NULL', [hash]);
    const row = rows[0];
    const key = row && timingSafeEqual(Buffer.from(row.hash, 'hex'), Buffer.from(hash, 'hex'))
      ? { id: row.id, name: row.name, roles: row.roles as Role[], profileId: row.profile_id }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { key, until: Date.now() + CACHE_MS });
    return key;
  }
}
