// Permissions by profile (seed 003 "perfil de acesso"): what an API key, and the agent it
// acts for, may do on a return. Pure rules; the casework services load the profiles.

export const PERMISSIONS = [
  'view_client_data',
  'change_subject',
  'change_situation',
  'forward',
  'create_tasks',
  'clone',
  'invite_third_parties',
  'see_private_notes',
  'link_returns',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** One side of the check: a key or an agent, with the profile it carries (if any). */
export interface Holder {
  /** Admin keys hold every permission: they define the profiles anyway. */
  admin?: boolean;
  profileId: string | null;
  /** The profile's permissions; undefined when the named profile does not exist. */
  profile?: readonly string[];
}

/**
 * What a holder may do. No profile → everything (keys and agents made before profiles
 * existed keep working); a profile that does not exist → nothing (fail closed).
 */
export function permissionsOf(holder: Holder): Set<Permission> {
  if (holder.admin || holder.profileId === null) return new Set(PERMISSIONS);
  return new Set((holder.profile ?? []).filter((p): p is Permission => (PERMISSIONS as readonly string[]).includes(p)));
}

/** The key's permissions, narrowed by the acting agent's when the request names one. */
export function effectivePermissions(key: Holder, agent?: Holder): Set<Permission> {
  const mine = permissionsOf(key);
  if (!agent) return mine;
  const theirs = permissionsOf(agent);
  return new Set([...mine].filter((p) => theirs.has(p)));
}

export function missingPermissions(have: ReadonlySet<Permission>, needed: readonly Permission[]): Permission[] {
  return [...new Set(needed)].filter((p) => !have.has(p));
}
