// API keys: stored as SHA-256 hashes (the secrets are random and at least 24 characters, so
// a slow hash adds nothing), looked up by hash and compared in constant time; seeded from
// PONTE_API_KEYS, where a key revoked since stays revoked until its secret changes.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { ValidationError } from '../errors.js';

/** `metrics` reads /metrics only (Prometheus); every other route names the roles it admits. */
export const ROLES = ['helpdesk', 'erp', 'admin', 'metrics'] as const;
/** Shorter secrets could be guessed; generated ones are longer still. */
export const MIN_SECRET_LENGTH = 24;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  id: string;
  name: string;
  roles: Role[];
  profileId: string | null;
  /** Every write with this key must name an acting agent (X-Agent-Id or the body's agentId). */
  requireAgent?: boolean;
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

export interface KeySpec { name: string; roles: Role[]; secret: string; profileId?: string; requireAgent?: boolean }

/** The option word after the secret that makes a seeded key require an acting agent. */
export const REQUIRE_AGENT = 'requireAgent';

/** `name:role[+role]:secret[:profileId][:requireAgent],...` */
export function parseKeySpecs(spec: string): KeySpec[] {
  return spec.split(',').filter(Boolean).map((entry, i) => {
    const [name, roles, secret, ...rest] = entry.split(':');
    if (!name || !roles || !secret) throw ValidationError.field(`PONTE_API_KEYS[${i}]`, 'expected name:role[+role]:secret');
    if (secret.length < MIN_SECRET_LENGTH) throw ValidationError.field(`PONTE_API_KEYS[${i}]`, `the secret of "${name}" is shorter than ${MIN_SECRET_LENGTH} characters`);
    const requireAgent = rest.includes(REQUIRE_AGENT);
    const profiles = rest.filter((r) => r !== REQUIRE_AGENT);
    if (profiles.length > 1) throw ValidationError.field(`PONTE_API_KEYS[${i}]`, `expected at most one profile after the secret, then ${REQUIRE_AGENT}`);
    return { name, roles: parseRoles(roles, `PONTE_API_KEYS[${i}]`), secret, profileId: profiles[0], requireAgent };
  });
}

export async function createKey(q: Queryable, spec: { name: string; roles: string; profileId?: string; requireAgent?: boolean }): Promise<{ key: ApiKey; secret: string }> {
  const roles = parseRoles(spec.roles, 'role');
  const secret = generateSecret();
  const requireAgent = spec.requireAgent ?? false;
  const { rows } = await q.query<{ id: string }>(
    'INSERT INTO api_keys (name, roles, hash, profile_id, require_agent) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [spec.name, roles, hashSecret(secret), spec.profileId ?? null, requireAgent],
  );
  return { key: { id: rows[0]!.id, name: spec.name, roles, profileId: spec.profileId ?? null, requireAgent }, secret };
}

/**
 * Inserts or updates the seeded keys (a changed role or profile in the env takes effect).
 * A key revoked since it was seeded is left revoked while the env still carries the same
 * secret; a new secret under that name is a new key and is active. Returns the names skipped.
 */
export async function seedKeys(q: Queryable, specs: KeySpec[]): Promise<{ skippedRevoked: string[] }> {
  const skippedRevoked: string[] = [];
  for (const s of specs) {
    const { rowCount } = await q.query(
      `INSERT INTO api_keys (name, roles, hash, profile_id, require_agent, seeded) VALUES ($1, $2, $3, $4, $5, true)
       ON CONFLICT (name) DO UPDATE SET roles = EXCLUDED.roles, hash = EXCLUDED.hash, profile_id = EXCLUDED.profile_id, require_agent = EXCLUDED.require_agent, revoked_at = NULL, seeded = true
       WHERE api_keys.revoked_at IS NULL OR api_keys.hash <> EXCLUDED.hash`,
      [s.name, s.roles, hashSecret(s.secret), s.profileId ?? null, s.requireAgent ?? false],
    );
    if (!rowCount) skippedRevoked.push(s.name);
  }
  return { skippedRevoked };
}

export async function listKeys(q: Queryable): Promise<Array<ApiKey & { createdAt: Date; revokedAt: Date | null }>> {
  const { rows } = await q.query('SELECT id, name, roles, profile_id, require_agent, created_at, revoked_at FROM api_keys ORDER BY name');
  return rows.map((r) => ({ id: r.id, name: r.name, roles: r.roles, profileId: r.profile_id, requireAgent: r.require_agent, createdAt: r.created_at, revokedAt: r.revoked_at }));
}

export async function revokeKey(q: Queryable, name: string): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE api_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL', [name]);
  return (rowCount ?? 0) > 0;
}

const CACHE_MS = 5000;

/**
 * Resolves bearer secrets to keys; a short cache keeps the database off the hot path. One
 * resolver per database handle (keyResolverFor), so a revocation through this process is
 * felt at once; other processes see it within CACHE_MS.
 */
export class KeyResolver {
  private cache = new Map<string, { key: ApiKey | null; until: number }>();

  constructor(private readonly q: Queryable) {}

  forget(): void {
    this.cache.clear();
  }

  async resolve(secret: string): Promise<ApiKey | null> {
    const hash = hashSecret(secret);
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.key;
    const { rows } = await this.q.query('SELECT id, name, roles, profile_id, require_agent, hash FROM api_keys WHERE hash = $1 AND revoked_at IS NULL', [hash]);
    const row = rows[0];
    const key = row && timingSafeEqual(Buffer.from(row.hash, 'hex'), Buffer.from(hash, 'hex'))
      ? { id: row.id, name: row.name, roles: row.roles as Role[], profileId: row.profile_id, requireAgent: row.require_agent === true }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { key, until: Date.now() + CACHE_MS });
    return key;
  }
}

const resolvers = new WeakMap<Queryable, KeyResolver>();

export function keyResolverFor(q: Queryable): KeyResolver {
  let resolver = resolvers.get(q);
  if (!resolver) resolvers.set(q, (resolver = new KeyResolver(q)));
  return resolver;
}
