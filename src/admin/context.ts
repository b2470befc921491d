// What the admin services need, built from the server's deps or, in the CLI, from a bare
// database handle (the CLI has no connector and no job backend: see offlineContext).

import type { Deps } from '../deps.js';
import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { ErrorDetail } from '../errors.js';
import { checkFieldRules, type IntegrationRequest } from '../domain/integration-request.js';
import { saoPauloDate } from '../domain/sao-paulo-time.js';
import { checkRequest, type AcceptContext } from '../integration/accept.js';
import { jobGone } from '../integration/stranded.js';
import type { IntegrationRow } from '../store/integrations.js';

export type RequestContext = AcceptContext;

export interface AdminContext {
  db: Db;
  clock: Clock;
  /** The creation rules a replayed (or patched) request must pass, paths under `prefix`. */
  checkRequest(req: IntegrationRequest, ctx: RequestContext, prefix: string): Promise<ErrorDetail[]>;
  /**
   * Whether nothing will run this unfinished row any more: its job is gone from the backend
   * (or failed by the engine). Undefined when the job backend cannot be seen (the CLI).
   */
  jobGone(row: IntegrationRow): Promise<boolean | undefined>;
  /** Dispatches committed outbox rows now. */
  kick(): void;
}

/** In the server: the creation rules with ERP lookups, and the outbox relay kicked after commit. */
export function adminContext(deps: Deps): AdminContext {
  return {
    db: deps.db,
    clock: deps.clock,
    checkRequest: (req, ctx, prefix) => checkRequest(deps, req, ctx, prefix),
    jobGone: (row) => jobGone(deps, row),
    kick: () => deps.relay.kick(),
  };
}

/**
 * In the CLI: the field rules only (the worker checks the ERP lookups again before it calls
 * the ERP, as when the ERP was unreachable at accept time), and no kick: the running
 * server's relay sweep picks the outbox rows up (OUTBOX_SWEEP_MS).
 */
export function offlineContext(db: Db, clock: Clock = systemClock): AdminContext {
  return {
    db,
    clock,
    checkRequest: async (req, ctx, prefix) => checkFieldRules(req, { ...ctx, today: saoPauloDate(clock.now()) }, prefix),
    jobGone: async () => undefined,
    kick: () => undefined,
  };
}
