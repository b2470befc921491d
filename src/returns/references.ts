// Every id a return's write names is checked when it is written: departments and agents in
// ponte's tables, products and ERP processes through the connector (within a bound, so a slow
// ERP defers the check to the integration instead of holding the request). One 400 names
// every field that points nowhere.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { ConnectorError, ValidationError, type ErrorDetail } from '../errors.js';

/** How long a write waits for the ERP to confirm a product or a process. */
export const ERP_CHECK_BUDGET_MS = 2000;

export interface References {
  departmentId?: string | null;
  /** The responsible user: an agent of ponte. */
  responsibleUserId?: string | null;
  assigneeId?: string | null;
  productId?: string | null;
  crmProcessNumber?: string | null;
}

/** The ERP's answer, or undefined when it cannot tell now (down, slow): the check is skipped. */
function withinBudget<T>(p: Promise<T>): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(undefined), ERP_CHECK_BUDGET_MS);
    p.then(resolve, (err) => (err instanceof ConnectorError ? resolve(undefined) : reject(err))).finally(() => clearTimeout(t));
  });
}

const given = (v: string | null | undefined): v is string => typeof v === 'string' && v !== '';

async function exists(q: Queryable, table: 'departments' | 'agents', id: string): Promise<boolean> {
  const { rows } = await q.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
  return rows.length > 0;
}

/** The problems of the given references (fields left out or null are not checked). */
export async function referenceProblems(deps: Deps, q: Queryable, refs: References): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  const [product, process] = await Promise.all([
    given(refs.productId) ? withinBudget(deps.lookups.product(refs.productId).then((p) => p ?? null)) : Promise.resolve(undefined),
    given(refs.crmProcessNumber) ? withinBudget(deps.connector.getProcess(refs.crmProcessNumber)) : Promise.resolve(undefined),
  ]);
  if (given(refs.departmentId) && !(await exists(q, 'departments', refs.departmentId))) {
    problems.push({ path: 'departmentId', message: `unknown department ${refs.departmentId} (an admin creates it with PUT /v1/departments/${refs.departmentId})`, code: 'UNKNOWN_DEPARTMENT' });
  }
  for (const path of ['responsibleUserId', 'assigneeId'] as const) {
    const id = refs[path];
    if (given(id) && !(await exists(q, 'agents', id))) problems.push({ path, message: `unknown agent ${id} (the ${path === 'assigneeId' ? 'assignee' : 'responsible user'} is an agent of ponte: PUT /v1/agents/${id})`, code: 'UNKNOWN_AGENT' });
  }
  if (given(refs.productId) && product === null) problems.push({ path: 'productId', message: `the ERP has no product ${refs.productId}`, code: 'UNKNOWN_PRODUCT' });
  if (given(refs.crmProcessNumber) && process === null) problems.push({ path: 'crmProcessNumber', message: `the ERP has no process ${refs.crmProcessNumber}`, code: 'UNKNOWN_PROCESS' });
  return problems;
}

/** One 400 for all of them: the field's own code when there is one problem, VALIDATION_FAILED for several. */
export function rejectProblems(problems: ErrorDetail[]): void {
  if (problems.length === 0) return;
  const code = problems.length === 1 && typeof problems[0]!.code === 'string' ? problems[0]!.code : 'VALIDATION_FAILED';
  throw new ValidationError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems, code);
}
