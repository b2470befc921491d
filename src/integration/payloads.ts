// What ponte would send the ERP for a stored integration (`ponte integrations show --payload`):
// each write the pipeline runs for it, its neutral record built as the worker builds it and mapped
// by the configured mapping set in a dry run — nothing reaches the ERP but two reads.

import type { ErpConnector, ErpCaseType, ErpProcess, PayloadProblem, PreparedRequest, WriteCall, WriteRecords } from '../connectors/contract.js';
import type { Queryable } from '../store/db.js';
import type { IntegrationRow } from '../store/integrations.js';
import { ConnectorError } from '../errors.js';
import { buildCaseRecord, needsTranscript, processUpdateOf, updatesSomething } from './case-record.js';
import { chatFacts } from './accept.js';

export interface PlannedWrite extends PreparedRequest {
  /** The payload's problems against its schema (the worker would refuse it: PAYLOAD_INVALID). */
  problems: PayloadProblem[];
  /** The integration already did this write (a replay does not send it again). */
  done: boolean;
}

export interface PlannedPayloads {
  id: string;
  connector: string;
  status: string;
  writes: PlannedWrite[];
  /** What the payloads could not show exactly, and why. */
  notes: string[];
}

/** Stands for the process number a create has not answered yet. */
const FROM_CREATE = '(the number createCase answers)';

async function orNote<T>(read: () => Promise<T>, notes: string[], what: string): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    notes.push(`${what} could not be read from the ERP (${err instanceof ConnectorError ? err.code : 'ERROR'}: ${(err as Error).message})`);
    return undefined;
  }
}

export async function plannedPayloads(q: Queryable, connector: ErpConnector, row: IntegrationRow): Promise<PlannedPayloads> {
  const notes: string[] = [];
  const writes: PlannedWrite[] = [];
  const plan = async <C extends WriteCall>(call: C, record: WriteRecords[C], done: boolean, ignore: string[] = []) => {
    const { request, problems } = await connector.dryRun(call, record);
    writes.push({ ...request, problems: problems.filter((p) => !(p.field && ignore.includes(p.field))), done });
  };
  const req = row.request;
  const out = () => ({ id: row.id, connector: connector.name, status: row.status, writes, notes });

  if (row.kind === 'opinion') {
    await plan('addOpinion', { externalRef: row.id, processNumber: req.processNumber!, text: req.text ?? '' }, row.erp_process_number !== null);
    return out();
  }

  // The standard text comes from the ERP's case types, unless the opinion was sent already.
  let caseType: ErpCaseType | null | undefined;
  if (req.standardOpinionId && !row.opinion) {
    const types = await orNote(() => connector.listCaseTypes(), notes, 'the case types');
    caseType = types ? (types.find((t) => t.id === req.caseTypeId) ?? null) : undefined;
    if (caseType === undefined) notes.push('the standard text is shown as "…" in the opinion');
  }
  const linked: ErpProcess | null | undefined = req.processNumber ? await orNote(() => connector.getProcess(req.processNumber!), notes, `process ${req.processNumber}`) : undefined;
  const chat = row.chat_id ? await chatFacts(q, row.chat_id, { transcript: needsTranscript(req) }) : { advanceOpinion: null, transcript: '', clientName: null };
  const record = buildCaseRecord(row.id, req, chat, { caseType, process: linked });
  // Once sent, the opinion is the one stored: the ERP's standard texts may have changed since.
  if (row.opinion) record.opinion = row.opinion;

  const created = row.erp_process_number !== null;
  if (req.processNumber) {
    await plan('addOpinion', { externalRef: row.id, processNumber: req.processNumber, text: record.opinion }, created);
    const update = processUpdateOf(row.id, req);
    if (updatesSomething(update)) await plan('updateProcess', update, created);
  } else {
    await plan('createCase', record, created);
  }
  const notify = req.notify;
  if (notify && ((notify.spySystemLogins?.length ?? 0) > 0 || (notify.emails?.length ?? 0) > 0)) {
    const number = row.erp_process_number ?? req.processNumber ?? FROM_CREATE;
    if (number === FROM_CREATE) notes.push(`notify's processNumber is ${FROM_CREATE}: the case is not created yet`);
    await plan('notify', { externalRef: row.id, processNumber: number, spySystemLogins: notify.spySystemLogins ?? [], emails: notify.emails ?? [] }, row.notified_at !== null, number === FROM_CREATE ? ['processNumber'] : []);
  }
  return out();
}
