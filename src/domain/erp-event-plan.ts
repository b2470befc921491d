// Plans the effect of a list of ERP facts on the stored client state, in list order: which
// are applied, which are stale (older than the state for that client and kind), which
// markers changed, and the final rows to write. Pure, so a whole batch costs a few queries.
// Instants are canonical strings (canonicalInstant), compared as text at microsecond precision.

import { markerChanged, markerOf, type ErpFact, type Marker, type ProductVersion } from './erp-event-rules.js';

export interface StoredMarker extends Marker { occurredAt: string }
export interface StoredVersion extends ProductVersion { occurredAt: string }

export interface MarkerChange { clientCode: string; marker: Marker; occurredAt: string }

export interface Plan {
  /** Per fact (same order as given). */
  outcomes: Array<'applied' | 'stale'>;
  markers: Map<string, StoredMarker>;
  /** Rows to upsert, keyed `clientCode\u0000system`. */
  versions: Map<string, StoredVersion & { clientCode: string }>;
  changes: MarkerChange[];
}

/**
 * `storedMarkers` by client code; `storedVersionsAt` = the newest occurredAt of each client's
 * product versions (staleness is per client and kind, not per system).
 */
export function planFacts(facts: ErpFact[], storedMarkers: Map<string, StoredMarker>, storedVersionsAt: Map<string, string>): Plan {
  const markers = new Map<string, StoredMarker>();
  const versions: Plan['versions'] = new Map();
  const versionsAt = new Map(storedVersionsAt);
  const changes: MarkerChange[] = [];
  const outcomes = facts.map((fact): 'applied' | 'stale' => {
    const code = fact.data.clientCode;
    if (fact.type === 'delinquency.updated') {
      const current = markers.get(code) ?? storedMarkers.get(code);
      if (current && fact.occurredAt < current.occurredAt) return 'stale';
      const next = markerOf(fact.data);
      if (markerChanged(current, next)) changes.push({ clientCode: code, marker: next, occurredAt: fact.occurredAt });
      markers.set(code, { ...next, occurredAt: fact.occurredAt });
      return 'applied';
    }
    const newest = versionsAt.get(code);
    if (newest && fact.occurredAt < newest) return 'stale';
    for (const v of fact.data.versions) versions.set(`${code}\u0000${v.system}`, { clientCode: code, ...v, occurredAt: fact.occurredAt });
    versionsAt.set(code, fact.occurredAt);
    return 'applied';
  });
  return { outcomes, markers, versions, changes };
}
