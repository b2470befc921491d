// What the ERP knows of a chat's client, asked when a chat starts and when the panel is read
// (seed 001: "Cliente inadimplente" and the versions in use as the chat starts): its markers
// and its product versions, each at most once per client every PULL_EVERY_MS (per process),
// within a bound, applied as ERP pushes are (client_markers, client_product_versions), so both
// show on default settings — no ERP push and MARKER_REFRESH_MS = 0.

import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { ConnectorError, PonteError } from '../errors.js';
import { applyPulledMarkers, applyPulledVersions } from '../erp-events/marker-refresh.js';

/** A client's facts asked again after this long (a push in between applies at once anyway). */
export const PULL_EVERY_MS = 5 * 60_000;
/** The chat screen never waits longer than this on the ERP. */
export const ERP_BUDGET_MS = 3000;
/** Pulls remembered: the oldest is forgotten past this (one more ERP call, no harm). */
const REMEMBERED = 10_000;

export function withinBudget<T>(p: Promise<T>, ms = ERP_BUDGET_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new PonteError('ERP_TIMEOUT', `the ERP did not answer within ${ms} ms`, { status: 504 })), ms);
    p.then(resolve, reject).finally(() => clearTimeout(t));
  });
}

interface PullState { pulledAt: Map<string, number>; pending: Map<string, Promise<void>> }
/** Per running ponte (tests start several in one process, each with its own database). */
const states = new WeakMap<Deps, PullState>();

function stateOf(deps: Deps): PullState {
  let s = states.get(deps);
  if (!s) states.set(deps, (s = { pulledAt: new Map(), pending: new Map() }));
  return s;
}

/**
 * Runs `pull` for this kind and client unless this process did so lately; concurrent callers
 * share one run. Failures are logged and leave the stored facts as they were; a set that does
 * not map the call counts as pulled (nothing to ask).
 */
function pullOnce(deps: Deps, kind: 'markers' | 'versions', code: string, log: Logger, pull: () => Promise<void>): Promise<void> {
  const { pulledAt, pending } = stateOf(deps);
  const key = `${kind}:${code}`;
  const last = pulledAt.get(key);
  if (last !== undefined && deps.clock.now().getTime() - last < PULL_EVERY_MS) return Promise.resolve();
  const running = pending.get(key);
  if (running) return running;
  const remember = () => {
    pulledAt.delete(key);
    pulledAt.set(key, deps.clock.now().getTime());
    if (pulledAt.size > REMEMBERED) pulledAt.delete(pulledAt.keys().next().value!);
  };
  const call = (async () => {
    try {
      await pull();
      remember();
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'CONNECTOR_CALL_UNMAPPED') return remember();
      log.warn({ err, clientCode: code }, `client ${kind} not pulled from the ERP; the stored ones are shown`);
    } finally {
      pending.delete(key);
    }
  })();
  pending.set(key, call);
  return call;
}

export function pullClientMarkers(deps: Deps, code: string, log: Logger = deps.log): Promise<void> {
  return pullOnce(deps, 'markers', code, log, async () => {
    const markers = await withinBudget(deps.connector.getMarkers(code, { log }));
    if (markers) await applyPulledMarkers(deps, code, markers);
  });
}

export function pullProductVersions(deps: Deps, code: string, log: Logger = deps.log): Promise<void> {
  return pullOnce(deps, 'versions', code, log, async () => {
    const versions = await withinBudget(deps.connector.listProductVersions(code, { log }));
    if (versions.length) await applyPulledVersions(deps, code, versions);
  });
}

/** Both pulls, for a chat that starts (never rejects: each logs its own failure). */
export async function pullClientFacts(deps: Deps, code: string, log: Logger = deps.log): Promise<void> {
  await Promise.all([pullClientMarkers(deps, code, log), pullProductVersions(deps, code, log)]);
}
