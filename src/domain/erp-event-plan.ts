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

/** Key of one client's product versions of one system. */
export const versionKey = (clientCode: string, system: string) => `${clientCode}\u0000${system}`;

/**
 * `storedMarkers` by client code; `storedVersionsAt` = the occurredAt of each stored product
 * version, by versionKey. Product versions are judged per client and system: a CRM push
 * older than the last ERP push still applies to CRM. An event is stale when every system it
 * carries is older than what is stored for that system; its newer systems apply otherwise.
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
      const { markers: list, ...next } = markerOf(fact.data);
      if (markerChanged(current, next)) changes.push({ clientCode: code, marker: next, occurredAt: fact.occurredAt });
      // An event that lists no markers keeps the list stored before it.
      markers.set(code, { ...next, markers: list ?? current?.markers ?? [], occurredAt: fact.occurredAt });
      return 'applied';
    }
    const fresh = fact.data.versions.filter((v) => !(fact.occurredAt < (versionsAt.get(versionKey(code, v.system)) ?? '')));
    for (const v of fresh) {
      versions.set(versionKey(code, v.system), { clientCode: code, ...v, occurredAt: fact.occurredAt });
      versionsAt.set(versionKey(code, v.system), fact.occurredAt);
    }
    return fresh.length || fact.data.versions.length === 0 ? 'applied' : 'stale';
  });
  return { outcomes, markers, versions, changes };
}
