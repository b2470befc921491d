// A client's message on a return (portal answer or inbound e-mail): moves it to
// awaiting_agent (reopening a closed one), and for a question return with an ERP process
// queues the opinion integration in the same transaction; `return.answered` goes out too.

import type { Deps } from '../deps.js';
import { writeIntegration } from '../integration/accept.js';
import { emitEvent } from '../events/emit.js';
import { answerOpinionText } from '../domain/return-rules.js';
import { updateReturn } from './store.js';
import { entryView, insertEntry, setEntryIntegration } from './timeline.js';
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

export async function recordClientMessage(deps: Deps, returnId: string, msg: ClientMessage) {
  const now = deps.clock.now();
  const entry = await deps.db.tx(async (q) => {
    const row = await lockReturn(q, returnId);
    const { patch, changes } = statusPatch(row, { kind: 'clientMessage' }, now);
    if (row.status === 'closed') {
      await insertEntry(q, returnId, { kind: 'event', authorKind: 'system', event: 'reopened', text: 'Retorno reaberto por nova mensagem do cliente', visibleToClient: true, at: now });
    }
    const created = await insertEntry(q, returnId, {
      kind: 'message', authorKind: 'client', author: msg.author, channel: msg.channel,
      text: msg.text, quoted: msg.quoted ?? null, visibleToClient: true, at: now,
    });
    let integrationId: string | null = null;
    if (row.type === 'question' && row.crm_process_number) {
      const integration = await writeIntegration(q, deps, {
        returnId,
        kind: 'opinion',
        clientCode: row.client_code ?? undefined,
        request: { processNumber: row.crm_process_number, text: answerOpinionText({ subject: row.subject, clientEmail: row.client_email }, msg.text) },
      });
      integrationId = integration.id;
      await setEntryIntegration(q, String(created.id), integration.id);
    }
    await updateReturn(q, returnId, patch, now);
    await emitEvent(q, 'return.answered', {
      returnId, entryId: String(created.id), type: row.type, channel: msg.channel, from: msg.author,
      clientEmail: row.client_email, clientCode: row.client_code, crmProcessNumber: row.crm_process_number, integrationId, status: patch.status ?? row.status,
    }, now);
    await auditReturn(q, { actor: msg.actor, action: 'return.answered', returnId, changes: { ...changes, entry: { from: null, to: String(created.id) } }, at: now });
    return { ...created, integration_id: integrationId };
  });
  deps.relay.kick();
  return entryView(entry);
}
