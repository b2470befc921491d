// A client's message on a return (portal answer or inbound e-mail): moves it to
// awaiting_agent (reopening a closed one), and for a question return with an ERP process
// queues the opinion integration in the same transaction; `return.answered` goes out too.
// An e-mail an agent accepted after it was held (sender unknown) is applied the same way.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { writeIntegration } from '../integration/accept.js';
import { emitEvent } from '../events/emit.js';
import { answerOpinionText } from '../domain/return-rules.js';
import { updateReturn, type ReturnRow } from './store.js';
import { entryView, insertEntry, setEntryIntegration, type TimelineRow } from './timeline.js';
import { auditReturn } from './audit.js';
import { lockReturn, statusPatch } from './lifecycle.js';

export interface ClientMessage {
  channel: 'portal' | 'email';
  /** Who wrote it: the return's client e-mail, or the sender of an inbound e-mail. */
  author: string;
  /** Already plain text (sanitized by the caller). */
  text: string;
  /** Inbound e-mail: the quoted history, kept collapsed. */
  quoted?: string | null;
  /** Recorded in the history: the portal client or the API key that posted the e-mail. */
  actor: string;
}

/** What a client message does to the return: status, the ERP opinion, the event, the history. */
export async function applyClientMessage(q: Queryable, deps: Deps, row: ReturnRow, entry: TimelineRow, msg: Pick<ClientMessage, 'channel' | 'author' | 'text' | 'actor'>, now: Date): Promise<TimelineRow> {
  const { patch, changes } = statusPatch(row, { kind: 'clientMessage' }, now);
  if (row.status === 'closed') {
    await insertEntry(q, row.id, { kind: 'event', authorKind: 'system', event: 'reopened', text: 'Retorno reaberto por nova mensagem do cliente', visibleToClient: true, at: now });
  }
  let integrationId: string | null = null;
  if (row.type === 'question' && row.crm_process_number) {
    const integration = await writeIntegration(q, deps, {
      returnId: row.id,
      kind: 'opinion',
      clientCode: row.client_code ?? undefined,
      request: { processNumber: row.crm_process_number, text: answerOpinionText({ subject: row.subject, clientEmail: msg.author }, msg.text) },
    });
    integrationId = integration.id;
    await setEntryIntegration(q, String(entry.id), integration.id);
  }
  await updateReturn(q, row.id, patch, now);
  await emitEvent(q, 'return.answered', {
    returnId: row.id, entryId: String(entry.id), type: row.type, channel: msg.channel, from: msg.author,
    clientEmail: row.client_email, clientCode: row.client_code, crmProcessNumber: row.crm_process_number, integrationId, status: patch.status ?? row.status,
  }, now);
  await auditReturn(q, { actor: msg.actor, action: 'return.answered', returnId: row.id, changes: { ...changes, entry: { from: null, to: String(entry.id) } }, at: now });
  return { ...entry, integration_id: integrationId };
}

export async function recordClientMessage(deps: Deps, returnId: string, msg: ClientMessage) {
  const now = deps.clock.now();
  const entry = await deps.db.tx(async (q) => {
    const row = await lockReturn(q, returnId);
    const created = await insertEntry(q, returnId, {
      kind: 'message', authorKind: 'client', author: msg.author, channel: msg.channel,
      text: msg.text, quoted: msg.quoted ?? null, visibleToClient: true, at: now,
    });
    return applyClientMessage(q, deps, row, created, msg, now);
  });
  deps.relay.kick();
  return entryView(entry);
}
