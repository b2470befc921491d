// A helpdesk draft becomes a finished session through the same ingest as POST /v1/sessions,
// with the conversation's link, the delivery's record and (without an integration) a note to
// the helpdesk written in the chat's transaction. Fields the ERP refuses leave the chat without
// an integration, its form ready for an agent, rather than losing the conversation.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { ValidationError, type ErrorDetail } from '../errors.js';
import { ingestSession, type SessionInput, type SessionResult } from '../chats/sessions.js';
import { listChatIntegrations } from '../store/integrations.js';
import type { IntegrationRequest } from '../domain/integration-request.js';
import { missingIntegrationNote } from '../domain/helpdesk-note.js';
import type { Draft } from './draft.js';
import type { Helpdesk } from './registry.js';
import { queueNote } from './notes.js';
import { insertDelivery, linkConversation, updateDelivery, type Conversation } from './store.js';

export type InboundStatus = 'created' | 'queued' | 'existing' | 'ignored' | 'duplicate';

export interface InboundAnswer {
  status: InboundStatus;
  helpdesk: string;
  deliveryId: string;
  externalId?: string;
  chatId?: string | null;
  integrations?: Array<{ id: string; status: string }>;
  /** Why the chat has no integration: the fields an agent completes in the integration form. */
  integrationProblems?: ErrorDetail[];
  /** false when the chat was written without the helpdesk's full message list. */
  transcriptComplete?: boolean;
  reason?: string;
}

export interface DeliveryRef {
  deliveryId: string;
  /** The stored row of a delivery that waited for the message list. */
  rowId?: string;
}

/** Where the ERP refuses a field, the request's path without its place in the session. */
function refusals(err: ValidationError): ErrorDetail[] {
  return err.details.map((d) => ({ ...d, path: d.path?.replace(/^integrations\[\d+\]\./, '') }));
}

async function recordDelivery(q: Queryable, h: Helpdesk, ref: DeliveryRef, f: { externalId: string; conversation: Conversation; status: 'ingested' | 'existing'; chatId: string; completionError?: string }) {
  if (ref.rowId) {
    await updateDelivery(q, ref.rowId, { status: f.status, chat_id: f.chatId, payload: null, ...(f.completionError ? { completion_error: f.completionError } : {}) });
  } else {
    await insertDelivery(q, { helpdesk: h.descriptor.name, deliveryId: ref.deliveryId, externalId: f.externalId, status: f.status, conversation: f.conversation, chatId: f.chatId, completionError: f.completionError });
  }
}

/** The existing chat of an already ingested conversation, with the delivery recorded. */
export async function answerExisting(deps: Deps, h: Helpdesk, ref: DeliveryRef, draft: Draft, chatId: string): Promise<InboundAnswer> {
  const conversation = draft.conversation!;
  const externalId = draft.session!.externalId;
  await deps.db.tx((q) => recordDelivery(q, h, ref, { externalId, conversation, status: 'existing', chatId }));
  const integrations = (await listChatIntegrations(deps.db, chatId)).map((i) => ({ id: i.id, status: i.status }));
  return { status: 'existing', helpdesk: h.descriptor.name, deliveryId: ref.deliveryId, externalId, chatId, integrations };
}

/**
 * Writes the session. `incomplete` says why the helpdesk's full message list could not be read
 * (the chat then keeps what the payload carried, and a private line says so).
 */
export async function ingestDraft(deps: Deps, h: Helpdesk, draft: Draft, ref: DeliveryRef, incomplete?: string): Promise<InboundAnswer> {
  const conversation = draft.conversation!;
  const base = draft.session!;
  const outcome = deps.helpdesks.drafts.integrationOf(draft);
  const messages = [...base.messages];
  if (incomplete) messages.push({ at: base.closedAt, from: 'system', text: `Histórico incompleto: ${incomplete}`, private: true });
  const session: SessionInput = { ...base, messages };

  const write = (requests: IntegrationRequest[], problems: ErrorDetail[]): Promise<SessionResult> =>
    ingestSession(deps, { ...session, integrations: requests }, {
      inTransaction: async (q, chatId) => {
        await linkConversation(q, chatId, h.descriptor.name, conversation);
        await recordDelivery(q, h, ref, { externalId: base.externalId, conversation, status: 'ingested', chatId, completionError: incomplete });
        if (!requests.length) {
          await queueNote(q, h, { chatId, conversation, kind: 'integration.missing', sourceKey: `missing-${chatId}`, text: missingIntegrationNote(chatId, problems) });
        }
      },
    });

  let problems = outcome.problems;
  let result: SessionResult;
  try {
    result = await write(outcome.request ? [outcome.request] : [], problems);
  } catch (err) {
    if (!(err instanceof ValidationError) || err.code !== 'INTEGRATION_RULES') throw err;
    problems = refusals(err);
    result = await write([], problems);
  }
  if (!result.created) return answerExisting(deps, h, ref, draft, result.chatId);
  deps.relay.kick();
  return {
    status: 'created',
    helpdesk: h.descriptor.name,
    deliveryId: ref.deliveryId,
    externalId: base.externalId,
    chatId: result.chatId,
    integrations: result.integrations,
    ...(result.integrations.length ? {} : { integrationProblems: problems }),
    transcriptComplete: !incomplete,
  };
}
