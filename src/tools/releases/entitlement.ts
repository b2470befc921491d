// Pure rule of version releases: a client may receive a version of a system when it is not
// above the version it is entitled to ("versão de direito", pushed by the ERP).
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

export interface RecordedVersion { system: string; entitled: string | null }

/** Why `version` of `system` may not be released to a client with these versions; null when it may. */
export function entitlementProblem(system: string, version: string, recorded: readonly RecordedVersion[]): string | null {
  const requested = parseVersion(version);
  if (!requested) return `"${version}" is not a dotted numeric version (e.g. 5.3.1)`;
  const row = recorded.find((r) => r.system === system);
  if (!row) return `the client has no versions recorded for system "${system}" (recorded: ${recorded.map((r) => r.system).join(', ')})`;
  if (!row.entitled) return `the ERP recorded no entitled version of "${system}" for this client`;
  const entitled = parseVersion(row.entitled);
  if (!entitled) return `the entitled version of "${system}" recorded by the ERP ("${row.entitled}") is not a dotted numeric version`;
  if (compareVersions(requested, entitled) > 0) return `the client is entitled to "${system}" up to version ${row.entitled}; ${version} is above it`;
  return null;
}
