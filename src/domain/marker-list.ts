// Every ERP marker of a client as the chat screen lists them (seed 001): delinquency first and
// highlighted, then the others in the ERP's order. An ERP that flags delinquency without
// listing it as a marker still gets its highlighted line.

import type { StoredMarkerItem } from './erp-event-rules.js';

export interface ListedMarker extends StoredMarkerItem { highlighted: boolean }

export const DELINQUENCY_LABEL = 'Cliente inadimplente';

export function listMarkers(m: { delinquent: boolean; since: string | null; reason: string | null; markers: StoredMarkerItem[] }): ListedMarker[] {
  const items = m.markers.map((item) => ({ ...item, highlighted: m.delinquent && item.delinquency }));
  const flagged = items.filter((i) => i.highlighted);
  const others = items.filter((i) => !i.highlighted);
  if (m.delinquent && flagged.length === 0) {
    flagged.push({ code: 'DELINQUENT', label: m.reason ?? DELINQUENCY_LABEL, since: m.since, delinquency: true, highlighted: true });
  }
  return [...flagged, ...others];
}
