// Pure rule of version releases: a client may receive a version of a system when it is not
// above the version it is entitled to ("versão de direito", pushed by the ERP), nor below the
// version it uses unless the agent asks for a downgrade.
//
// Versions are dotted numbers compared part by part as integers ("5.10" > "5.9"); missing parts
// count as zero ("5.3" = "5.3.0"); leading zeros do not matter ("5.03" = "5.3").

const DOTTED = /^\d{1,9}(?:\.\d{1,9}){0,5}$/;

export function parseVersion(version: string): number[] | null {
  const trimmed = version.trim();
  return DOTTED.test(trimmed) ? trimmed.split('.').map(Number) : null;
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export interface RecordedVersion { system: string; used: string | null; entitled: string | null }

/** Why `version` of `system` may not be released to a client with these versions; null when it may. */
export function entitlementProblem(system: string, version: string, recorded: readonly RecordedVersion[], allowDowngrade = false): string | null {
  const requested = parseVersion(version);
  if (!requested) return `"${version}" is not a dotted numeric version (e.g. 5.3.1)`;
  const row = recorded.find((r) => r.system === system);
  if (!row) return `the client has no versions recorded for system "${system}" (recorded: ${recorded.map((r) => r.system).join(', ')})`;
  if (!row.entitled) return `the ERP recorded no entitled version of "${system}" for this client`;
  const entitled = parseVersion(row.entitled);
  if (!entitled) return `the entitled version of "${system}" recorded by the ERP ("${row.entitled}") is not a dotted numeric version`;
  if (compareVersions(requested, entitled) > 0) return `the client is entitled to "${system}" up to version ${row.entitled}; ${version} is above it`;
  return allowDowngrade ? null : downgradeProblem(system, requested, version, row.used);
}

/** A release below the version in use would take features away from the client: only on purpose. */
function downgradeProblem(system: string, requested: number[], version: string, used: string | null): string | null {
  const inUse = used === null ? null : parseVersion(used);
  if (!inUse || compareVersions(requested, inUse) >= 0) return null;
  return `the client uses "${system}" ${used}; ${version} is below it (send allowDowngrade: true to release it anyway)`;
}
