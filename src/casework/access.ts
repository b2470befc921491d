// Who is acting and what they may do: the API key's profile and, when the request names an
// acting agent (`agentId`), that agent's profile too. Missing permissions → 403
// PERMISSION_DENIED naming each one and whose profile lacks it.

import type { Deps } from '../deps.js';
import type { ApiKey } from '../auth/api-keys.js';
import { PonteError } from '../errors.js';
import { actingActor } from '../auth/actor.js';
import { requireAgent } from '../chats/actors.js';
import { effectivePermissions, missingPermissions, permissionsOf, type Holder, type Permission } from '../domain/permissions.js';
import { getProfile } from './profiles.js';

export interface Caller {
  apiKey: ApiKey | null;
  /** The acting agent named in the body (writes) or the query (reads). */
  agentId?: string;
}

export interface Access {
  permissions: Set<Permission>;
  /** Recorded as "who" in the return's history. */
  actor: string;
  holders: Array<{ label: string; holder: Holder }>;
}

async function holderFor(deps: Deps, profileId: string | null, admin: boolean): Promise<Holder> {
  if (admin || profileId === null) return { admin, profileId };
  return { profileId, profile: (await getProfile(deps.db, profileId))?.permissions };
}

export async function accessOf(deps: Deps, caller: Caller): Promise<Access> {
  const key = caller.apiKey;
  const keyName = key?.name ?? 'anonymous';
  const keyHolder = await holderFor(deps, key?.profileId ?? null, key?.roles.includes('admin') ?? false);
  const holders = [{ label: `API key "${keyName}"`, holder: keyHolder }];
  if (!caller.agentId) return { permissions: permissionsOf(keyHolder), actor: keyName, holders };
  const agent = await requireAgent(deps.db, caller.agentId);
  const agentHolder = await holderFor(deps, agent.profileId, false);
  holders.push({ label: `agent "${agent.id}"`, holder: agentHolder });
  return { permissions: effectivePermissions(keyHolder, agentHolder), actor: actingActor(agent.id, keyName), holders };
}

export class PermissionDenied extends PonteError {
  constructor(missing: Permission[], access: Access) {
    const lacking = (p: Permission) => access.holders.filter((h) => !permissionsOf(h.holder).has(p)).map((h) => describe(h.label, h.holder));
    super('PERMISSION_DENIED', `missing permission ${missing.join(', ')} (${missing.map((p) => `${p}: ${lacking(p).join(' and ')}`).join('; ')})`, {
      status: 403,
      details: missing.map((p) => ({ path: 'permission', message: `${lacking(p).join(' and ')} lacks ${p}`, permission: p })),
    });
  }
}

function describe(label: string, h: Holder): string {
  if (h.profile === undefined && h.profileId !== null && !h.admin) return `${label} (profile "${h.profileId}" is not defined)`;
  return `${label} (profile "${h.profileId}")`;
}

/** The caller's access once it holds every permission needed; 403 otherwise. */
export async function requirePermissions(deps: Deps, caller: Caller, needed: Permission[]): Promise<Access> {
  const access = await accessOf(deps, caller);
  const missing = missingPermissions(access.permissions, needed);
  if (missing.length) throw new PermissionDenied(missing, access);
  return access;
}
