// API keys created by an admin over the API: the secret is returned once, the creation audited.

import type { Db } from '../store/db.js';
import { createKey, type ApiKey, type Role } from '../auth/api-keys.js';
import { ConflictError } from '../errors.js';
import { recordAudit } from './audit.js';

export async function createApiKey(db: Db, spec: { name: string; roles: Role[]; profileId?: string }, options: { actor: string }): Promise<{ key: ApiKey; secret: string }> {
  try {
    return await db.tx(async (q) => {
      const created = await createKey(q, { name: spec.name, roles: [...new Set(spec.roles)].join('+'), profileId: spec.profileId });
      await recordAudit(q, { actor: options.actor, action: 'key.created', targetType: 'api_key', targetId: created.key.id, changes: { name: spec.name, roles: created.key.roles } });
      return created;
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new ConflictError('KEY_EXISTS', `a key named "${spec.name}" exists already`, [{ path: 'name', message: 'is taken' }]);
    throw err;
  }
}
