// API keys managed by admins over the API: create (the secret is returned once), list (never a
// secret) and revoke; each change audited. Revoking a seeded key holds across restarts.

import type { Db } from '../store/db.js';
import { createKey, keyResolverFor, type ApiKey, type Role } from '../auth/api-keys.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { recordAudit } from './audit.js';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.js';

export interface KeyView extends ApiKey { seeded: boolean; createdAt: string; revokedAt: string | null }

export async function createApiKey(db: Db, spec: { name: string; roles: Role[]; profileId?: string; requireAgent?: boolean }, options: { actor: string }): Promise<{ key: ApiKey; secret: string }> {
  try {
    return await db.tx(async (q) => {
      const created = await createKey(q, { name: spec.name, roles: [...new Set(spec.roles)].join('+'), profileId: spec.profileId, requireAgent: spec.requireAgent });
      await recordAudit(q, { actor: options.actor, action: 'key.created', targetType: 'api_key', targetId: created.key.id, changes: { name: spec.name, roles: created.key.roles, requireAgent: created.key.requireAgent } });
      return created;
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new ConflictError('KEY_EXISTS', `a key named "${spec.name}" exists already`, [{ path: 'name', message: 'is taken' }]);
    throw err;
  }
}

const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100;

/** Keys by name, revoked ones included (with revokedAt), a page at a time. */
export async function listApiKeys(db: Db, page: { limit?: number; cursor?: string }): Promise<{ items: KeyView[]; nextCursor: string | null }> {
  const limit = pageLimit(page.limit);
  const after = page.cursor ? decodeCursor<[string]>(page.cursor, [isName])[0] : null;
  const { rows } = await db.query(
    `SELECT id, name, roles, profile_id, require_agent, seeded, created_at, revoked_at FROM api_keys
     WHERE $1::text IS NULL OR name > $1 ORDER BY name LIMIT $2`,
    [after, limit + 1],
  );
  const items = rows.slice(0, limit).map((r): KeyView => ({
    id: r.id, name: r.name, roles: r.roles, profileId: r.profile_id, requireAgent: r.require_agent, seeded: r.seeded,
    createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
  return { items, nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1]!.name]) : null };
}

/** Revokes the active key of that name (404 when there is none); its board sessions end with it. */
export async function revokeApiKey(db: Db, name: string, options: { actor: string; now: Date }): Promise<void> {
  await db.tx(async (q) => {
    const { rows } = await q.query<{ id: string; seeded: boolean }>('UPDATE api_keys SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL RETURNING id, seeded', [name, options.now]);
    const key = rows[0];
    if (!key) throw new NotFoundError('active API key', name);
    await recordAudit(q, { actor: options.actor, action: 'key.revoked', targetType: 'api_key', targetId: key.id, changes: { name, seeded: key.seeded } });
  });
  keyResolverFor(db).forget();
}
