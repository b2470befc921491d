// `ponte connector check`: every read of the contract run once against the configured ERP and
// every write dry-run on a sample record, so a deployment engineer sees, call by call, whether the
// mapping set fits the ERP before any integration depends on it. Writes never reach the ERP.

import type { CaseRecord, ConnectorCall, ErpConnector, ProcessUpdateRecord, WriteCall, WriteRecords } from './contract.js';
import { ConnectorError } from '../errors.js';
import { CALL_SHAPES } from './calls.js';

export type CheckStatus = 'ok' | 'not mapped' | 'mismatch' | 'error' | 'not checked';

export interface CheckLine {
  call: ConnectorCall;
  status: CheckStatus;
  /** ok: what came back, in short; mismatch: the path and the problem; error: code and message. */
  detail: string;
  /** mismatch: the JSON path (of the neutral record, or the answer's records path). */
  path?: string;
  /** mismatch: what the ERP sent back (quoted, cut). */
  got?: string;
}

export interface CheckInput {
  /** An existing client of the ERP. */
  clientCode: string;
  /** An existing process of the ERP (the client's or any). */
  processNumber: string;
  /** Today in ponte's zone (yyyy-mm-dd), for the sample next contact. */
  today: string;
}

/** Marks the sample writes; a check never sends them. */
export const CHECK_REF = 'ponte-connector-check';

type Run = () => Promise<{ value: unknown; detail: string }>;

const count = (value: unknown) => `${(value as unknown[]).length} record(s)`;

function failed(call: ConnectorCall, err: unknown): CheckLine {
  if (err instanceof ConnectorError && err.code === 'CONNECTOR_CALL_UNMAPPED') {
    return CALL_SHAPES[call].optional ? { call, status: 'not mapped', detail: 'optional call, not in the mapping set' } : { call, status: 'error', detail: `${err.code}: ${err.message}` };
  }
  if (err instanceof ConnectorError && err.code === 'CONNECTOR_CONTRACT_MISMATCH') {
    const d = (err.details?.[0] ?? {}) as { path?: string; message?: string; got?: string };
    return { call, status: 'mismatch', path: d.path, got: d.got, detail: `${d.path ?? '$'} ${d.message ?? 'does not fit'}` };
  }
  const code = err instanceof ConnectorError ? err.code : 'ERROR';
  return { call, status: 'error', detail: `${code}: ${(err as Error).message}` };
}

async function attempt(call: ConnectorCall, run: Run): Promise<{ line: CheckLine; value?: unknown }> {
  try {
    const { value, detail } = await run();
    return { line: { call, status: 'ok', detail }, value };
  } catch (err) {
    return { line: failed(call, err) };
  }
}

/** The neutral fields of a sample record the set declares it cannot apply, left out. */
function without<T extends object>(record: T, fields: string[] | undefined): T {
  const copy = structuredClone(record) as Record<string, unknown>;
  for (const field of fields ?? []) {
    const [head, ...rest] = field.split('.');
    if (!rest.length) delete copy[head!];
    else if (copy[head!] && typeof copy[head!] === 'object') delete (copy[head!] as Record<string, unknown>)[rest.join('.')];
  }
  return copy as T;
}

async function dryRun<C extends WriteCall>(connector: ErpConnector, call: C, records: Array<WriteRecords[C]>): Promise<CheckLine> {
  const problems: string[] = [];
  let shown = '';
  for (const record of records) {
    try {
      const { request, problems: found } = await connector.dryRun(call, without(record, connector.capabilities.cannotApply[call]));
      shown = request.operation ?? `${request.method} ${request.path}`;
      problems.push(...found.map((p) => `${p.path} ${p.message}`));
    } catch (err) {
      return failed(call, err);
    }
  }
  if (problems.length) return { call, status: 'error', detail: `PAYLOAD_INVALID (dry run, not sent): ${[...new Set(problems)].join('; ')}` };
  return { call, status: 'ok', detail: `dry run ${shown} (not sent): the payload holds against its schema` };
}

/** Runs the check; one line per call of the contract, in the contract's order. */
export async function checkConnector(connector: ErpConnector, input: CheckInput): Promise<CheckLine[]> {
  const { clientCode, processNumber } = input;
  const lines: CheckLine[] = [];
  const read = async (call: ConnectorCall, run: Run) => {
    const { line, value } = await attempt(call, run);
    lines.push(line);
    return value;
  };
  const list = (fn: () => Promise<unknown[]>) => async () => {
    const value = await fn();
    return { value, detail: count(value) };
  };
  const known = (what: string) => (value: unknown) => {
    if (value === null) throw ConnectorError.permanent('NOT_FOUND', `the ERP has no ${what} (give an existing one)`);
    return { value, detail: `found ${what}` };
  };

  const client = await read('getClient', async () => known(`client ${clientCode}`)(await connector.getClient(clientCode)));
  const products = ((await read('listProducts', list(() => connector.listProducts()))) ?? []) as Array<{ id: string }>;
  const caseTypes = ((await read('listCaseTypes', list(() => connector.listCaseTypes()))) ?? []) as Array<{ id: string }>;
  const users = ((await read('listUsers', list(() => connector.listUsers()))) ?? []) as Array<{ id: string; spySystemLogin?: string }>;
  const centers = ((await read('listResponsibilityCenters', list(() => connector.listResponsibilityCenters()))) ?? []) as Array<{ id: string }>;
  await read('getProcess', async () => known(`process ${processNumber}`)(await connector.getProcess(processNumber)));
  await read('listClientProducts', list(() => connector.listClientProducts(clientCode)));
  await read('listCriticalFactors', list(() => connector.listCriticalFactors(clientCode)));
  await read('getMarkers', async () => {
    const value = await connector.getMarkers(clientCode);
    return { value, detail: value ? `delinquent: ${value.delinquent}` : 'no markers' };
  });
  await read('listProductVersions', list(() => connector.listProductVersions(clientCode)));
  await read('findCaseByExternalRef', async () => {
    const value = await connector.findCaseByExternalRef(CHECK_REF);
    return { value, detail: value ? `case ${value}` : 'no case (as expected)' };
  });
  await read('hasOpinion', async () => ({ value: null, detail: `found: ${await connector.hasOpinion(processNumber, CHECK_REF)}` }));
  await read('findNotification', async () => ({ value: null, detail: `found: ${await connector.findNotification(processNumber, CHECK_REF)}` }));

  // Sample writes from what the reads found, so the payload schemas see realistic ids.
  const nextContact = { userId: users[0]?.id ?? 'sample-user', date: input.today };
  const base = {
    externalRef: CHECK_REF,
    clientCode: (client as { code?: string } | undefined)?.code ?? clientCode,
    productId: products[0]?.id ?? 'sample-product',
    caseTypeId: caseTypes[0]?.id ?? 'sample-case-type',
    subject: 'Verificação do mapeamento (ponte connector check)',
    opinion: 'Texto de exemplo de um parecer: o check não o envia ao ERP.',
    contactPerson: 'Contato de exemplo',
  };
  const closed: CaseRecord = { ...base, closeCase: true, responsibilityCenterId: centers[0]?.id ?? 'sample-center', priority: false };
  const open: CaseRecord = { ...base, closeCase: false, nextContact, priority: true };
  const update: ProcessUpdateRecord = { externalRef: CHECK_REF, processNumber, closeCase: true, responsibilityCenterId: closed.responsibilityCenterId, nextContact, priority: true };
  const logins = users.flatMap((u) => (u.spySystemLogin ? [u.spySystemLogin] : [])).slice(0, 1);
  // A sample id made up for lack of a read would only trip the payload schema: say so instead.
  const sampled = async (call: WriteCall, feeds: ConnectorCall[], run: () => Promise<CheckLine>) => {
    const broken = feeds.filter((feed) => lines.find((l) => l.call === feed)?.status !== 'ok');
    lines.push(broken.length ? { call, status: 'not checked', detail: `its sample record takes ids from ${broken.join(', ')}, which did not hold` } : await run());
  };
  await sampled('createCase', ['getClient', 'listProducts', 'listCaseTypes', 'listUsers', 'listResponsibilityCenters'], () => dryRun(connector, 'createCase', [closed, open]));
  await sampled('addOpinion', [], () => dryRun(connector, 'addOpinion', [{ externalRef: CHECK_REF, processNumber, text: base.opinion }]));
  await sampled('notify', ['listUsers'], () => dryRun(connector, 'notify', [{ externalRef: CHECK_REF, processNumber, spySystemLogins: logins, emails: ['gestor@exemplo.com.br'] }]));
  await sampled('updateProcess', ['listUsers', 'listResponsibilityCenters'], () => dryRun(connector, 'updateProcess', [update]));
  return lines;
}

/** Whether every call holds: ok, or an optional call the set leaves out. */
export const allHold = (lines: CheckLine[]) => lines.every((l) => l.status === 'ok' || l.status === 'not mapped');

export function formatCheck(lines: CheckLine[]): string {
  const width = Math.max(...lines.map((l) => l.call.length));
  return lines
    .map((l) => {
      const head = `${l.call.padEnd(width)}  ${l.status === 'mismatch' ? 'contract mismatch' : l.status}`;
      const detail = l.status === 'mismatch' ? `${l.call}: ${l.detail}; came back: ${l.got ?? 'nothing'}` : l.detail;
      return `${head}  ${detail}`;
    })
    .join('\n');
}
