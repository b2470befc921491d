// Marker pull for ERPs that cannot push (MARKER_REFRESH_MS > 0): asks the connector for the
// markers of every client with an open chat and applies them as if pushed now. Pulled product
// versions (at chat start) are applied here the same way.

import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import type { ErpClientMarkers, ErpProductVersion } from '../connectors/contract.js';
import { canonicalInstant } from '../domain/erp-event-rules.js';
import { announceChanges, applyFacts } from './apply.js';
import { openChatClientCodes } from './store.js';

/** ERP calls at once during a refresh: the pull must not crowd out integrations. */
const CONCURRENCY = 4;

/**
 * Pulled markers are snapshots, not ERP events: they update client_markers (occurredAt = now,
 * so a later push still wins only if newer) without adding rows to erp_events. Also used when
 * a chat starts (src/chats/client-facts.ts). Returns how many markers changed.
 */
export async function applyPulledMarkers(deps: Deps, code: string, markers: ErpClientMarkers): Promise<number> {
  const occurredAt = canonicalInstant(deps.clock.now().toISOString());
  const data = { clientCode: code, delinquent: markers.delinquent, since: markers.since, reason: markers.reason, markers: markers.markers };
  const { changes } = await deps.db.tx((q) => applyFacts(q, [{ type: 'delinquency.updated', occurredAt, data }]));
  await announceChanges(deps, changes);
  return changes.length;
}

/**
 * Pulled product versions (asked when a chat starts) as a product-versions.updated snapshot:
 * systems the ERP does not list keep their stored versions. The ERP's last line per system wins.
 */
export async function applyPulledVersions(deps: Deps, code: string, versions: ErpProductVersion[]): Promise<void> {
  const occurredAt = canonicalInstant(deps.clock.now().toISOString());
  const bySystem = new Map(versions.map((v) => [v.system, { system: v.system, used: v.used ?? null, entitled: v.entitled ?? null, downloaded: v.downloaded ?? null }]));
  await deps.db.tx((q) => applyFacts(q, [{ type: 'product-versions.updated', occurredAt, data: { clientCode: code, versions: [...bySystem.values()] } }]));
}

/** Every client with an open chat, CONCURRENCY at a time. */
export async function refreshMarkers(deps: Deps, log: Logger): Promise<{ clients: number; changed: number; failed: number }> {
  const queue = await openChatClientCodes(deps.db);
  const clients = queue.length;
  let changed = 0;
  let failed = 0;
  const work = async () => {
    for (let code = queue.shift(); code !== undefined; code = queue.shift()) {
      try {
        const markers = await deps.connector.getMarkers(code, { log });
        if (!markers) continue;
        changed += await applyPulledMarkers(deps, code, markers);
      } catch (err) {
        failed += 1;
        log.warn({ err, clientCode: code }, 'marker refresh failed for a client; the next run retries');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, clients) }, work));
  log.info({ clients, changed, failed }, 'markers refreshed from the ERP');
  return { clients, changed, failed };
}
