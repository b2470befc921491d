// What the admin services need, built from the server's deps or, in the CLI, from a bare
// database handle (the CLI has no connector and no job backend: see offlineContext).

import type { Deps } from '../deps.js';
import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { ErrorDetail } from '../errors.js';
import { checkFieldRules, type ExistingIntegration, type IntegrationRequest } from '../domain/integration-request.js';
import { checkRequest } from '../integration/accept.js';

export interface RequestContext { chatStatus: string; existing: ExistingIntegration[] }

export interface AdminContext {
  db: Db;
  clock: Clock;
  /** The creation rules a patched request must pass. */
  checkRequest(req: IntegrationRequest, ctx: RequestContext): Promise<ErrorDetail[]>;
  /** Dispatches committed outbox rows now. */
  kick(): void;
}

/** In the server: the creation rules with ERP lookups, and the outbox relay kicked after commit. */
export function adminContext(deps: Deps): AdminContext {
  return {
    db: deps.db,
    clock: deps.clock,
    checkRequest: (req, ctx) => checkRequest(deps, req, ctx, 'patch.'),
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
    checkRequest: async (req, ctx) => checkFieldRules(req, { ...ctx, today: clock.now().toISOString().slice(0, 10) }, 'patch.'),
    kick: () => undefined,
  };
}
