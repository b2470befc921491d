// Accepting integration requests: the field rules of seed 004, best-effort ERP lookups, and
// the row written in the caller's transaction with its outbox job (dispatched after commit).

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { ConnectorError, ValidationError, type ErrorDetail } from '../errors.js';
import { checkFieldRules, checkLookupRules, normalizeClientCode, type IntegrationRequest, type LookupFacts } from '../domain/integration-request.js';
import { insertIntegration, type IntegrationRow } from '../store/integrations.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';

/** How long an accept waits for the ERP's lists before deferring those checks to the worker. */
const LOOKUP_BUDGET_MS = 2000;

function settle<T>(p: Promise<T>): Promise<T | undefined> {
  return p.catch((err) => {
    if (err instanceof ConnectorError) return undefined;
    throw err;
  });
}

function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then(resolve, reject).finally(() => clearTimeout(t));
  });
}

/** Looks up what the rules need; a fact the ERP cannot give now stays undefined. */
export async function lookupFacts(deps: Deps, req: IntegrationRequest): Promise<LookupFacts> {
  const l = deps.lookups;
  const [client, product, caseType, user, center] = await Promise.all([
    settle(l.client(normalizeClientCode(req.clientCode))),
    settle(l.product(req.productId).then((p) => p ?? null)),
    settle(l.caseType(req.caseTypeId).then((c) => c ?? null)),
    req.nextContact?.userId ? settle(l.user(req.nextContact.userId).then((u) => u ?? null)) : Promise.resolve(undefined),
    req.responsibilityCenterId ? settle(l.responsibilityCenter(req.responsibilityCenterId).then((c) => c ?? null)) : Promise.resolve(undefined),
  ]);
  return { client, product, caseType, nextContactUser: user, responsibilityCenter: center };
}

export async function checkRequest(
  deps: Deps,
  req: IntegrationRequest,
  ctx: { chatStatus: string; existing: Array<{ multiple: boolean; status: string }> },
  prefix = '',
): Promise<ErrorDetail[]> {
  const today = deps.clock.now().toISOString().slice(0, 10);
  const problems = checkFieldRules(req, { ...ctx, today }, prefix);
  const facts = (await within(lookupFacts(deps, req), LOOKUP_BUDGET_MS)) ?? {};
  return [...problems, ...checkLookupRules(req, facts, prefix)];
}

export function rejectIfAny(problems: ErrorDetail[]): void {
  if (problems.length === 0) return;
  throw new ValidationError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems, 'INTEGRATION_RULES');
}

/** Inserts the integration and its job inside the caller's transaction. */
export async function writeIntegration(
  q: Queryable,
  deps: Deps,
  row: { chatId?: string; returnId?: string; kind: 'case' | 'opinion'; clientCode?: string; request: object },
): Promise<IntegrationRow> {
  const integration = await insertIntegration(q, { ...row, connector: deps.connector.name });
  await enqueue(q, { queue: QUEUES.integrations, name: 'run', jobId: integration.id, payload: { integrationId: integration.id } });
  return integration;
}

export function normalizeRequest(req: IntegrationRequest): IntegrationRequest {
  return { ...req, multiple: req.multiple ?? false, clientCode: normalizeClientCode(req.clientCode) };
}
