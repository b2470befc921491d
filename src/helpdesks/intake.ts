// POST /v1/inbound/<helpdesk>: the helpdesk's signature is the auth; a redelivery answers what
// exists; an event that ends no conversation is ignored; a finished one is checked whole now
// (a 400 names the payload's field) and written at once, or after its full message list is read.

import { createHash } from 'node:crypto';
import type { Deps } from '../deps.js';
import { UnavailableError, ValidationError } from '../errors.js';
import { listChatIntegrations } from '../store/integrations.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { verifySignature } from './signature.js';
import { apiConfigured } from './settings.js';
import type { Draft } from './draft.js';
import type { Helpdesk } from './registry.js';
import { answerExisting, ingestDraft, type InboundAnswer } from './ingest.js';
import { completeJobId } from './completion.js';
import { chatIdOf, findDelivery, insertDelivery, type DeliveryRow } from './store.js';
import { forgottenSession, isForgotten } from '../store/forgotten-sessions.js';

type Headers = Record<string, string | string[] | undefined>;

export interface Received { httpStatus: 200 | 202; answer: InboundAnswer }

/** 202 when something was (or will be) written or nothing needed to be; 200 for what exists. */
const received = (answer: InboundAnswer): Received => ({ httpStatus: answer.status === 'existing' || answer.status === 'duplicate' ? 200 : 202, answer });

function deliveryIdOf(h: Helpdesk, headers: Headers, raw: Buffer): string {
  const header = h.descriptor.deliveryHeader ? headers[h.descriptor.deliveryHeader] : undefined;
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value ? value.slice(0, 200) : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

function parse(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new ValidationError(`the body is not JSON: ${(err as Error).message}`, [{ path: '(body)', message: 'is not JSON' }], 'INVALID_JSON');
  }
}

function checkTimes(draft: Draft): void {
  const s = draft.session!;
  if (Date.parse(s.closedAt) < Date.parse(s.startedAt)) {
    const path = draft.sources?.closedAt ?? 'closedAt';
    throw new ValidationError(`${path}: the conversation ends (${s.closedAt}) before it starts (${s.startedAt})`, [{ path, field: 'closedAt', message: 'must not be before the start' }]);
  }
}

async function duplicate(deps: Deps, h: Helpdesk, row: DeliveryRow): Promise<Received> {
  const chatId = row.chat_id ?? (await chatIdOf(deps.db, row.external_id)) ?? null;
  const integrations = chatId ? (await listChatIntegrations(deps.db, chatId)).map((i) => ({ id: i.id, status: i.status })) : [];
  return received({ status: 'duplicate', helpdesk: h.descriptor.name, deliveryId: row.delivery_id, externalId: row.external_id, chatId, integrations, reason: `delivery already received (${row.status}); nothing new was written` });
}

/** The completion job reads the messages; the row keeps the payload until then. */
async function queueCompletion(deps: Deps, h: Helpdesk, deliveryId: string, payload: unknown, draft: Draft): Promise<Received | undefined> {
  const row = await deps.db.tx(async (q) => {
    const inserted = await insertDelivery(q, { helpdesk: h.descriptor.name, deliveryId, externalId: draft.session!.externalId, status: 'completing', payload, conversation: draft.conversation! });
    if (inserted) await enqueue(q, { queue: QUEUES.helpdesks, name: 'complete', jobId: completeJobId(inserted.id, 0), payload: { deliveryId: inserted.id } });
    return inserted;
  });
  if (!row) return undefined;
  deps.relay.kick();
  return received({ status: 'queued', helpdesk: h.descriptor.name, deliveryId, externalId: row.external_id, chatId: null, reason: 'the full message list is being read from the helpdesk API; the chat is written next' });
}

/** The helpdesk's signature over the raw bytes: a 401 naming the check, or 503 when no secret is set. */
export function authenticate(deps: Deps, h: Helpdesk, raw: Buffer, headers: Headers): void {
  const { label, settingsPrefix } = h.descriptor;
  if (!h.settings.webhookSecrets.length) throw new UnavailableError('HELPDESK_DISABLED', `${label} webhooks are off: set ${settingsPrefix}_WEBHOOK_SECRET to the secret ${label} signs them with`);
  verifySignature(h.descriptor.signature, h.settings.webhookSecrets, raw, headers, deps.clock.now());
}

/** One delivery, already authenticated. */
export async function receiveInbound(deps: Deps, h: Helpdesk, raw: Buffer, headers: Headers): Promise<Received> {
  const name = h.descriptor.name;
  const prefix = h.descriptor.settingsPrefix;
  const payload = parse(raw);
  const deliveryId = deliveryIdOf(h, headers, raw);

  const seen = await findDelivery(deps.db, name, deliveryId);
  if (seen) return duplicate(deps, h, seen);

  const draft = await deps.helpdesks.drafts.map(h.descriptor, { payload, messages: null, settings: h.settings });
  if (!draft.ends) return received({ status: 'ignored', helpdesk: name, deliveryId, reason: draft.reason ?? 'this event does not end a conversation' });
  checkTimes(draft);

  const ref = { deliveryId };
  const existing = await chatIdOf(deps.db, draft.session!.externalId);
  if (existing) return received(await answerExisting(deps, h, ref, draft, existing));
  if (await isForgotten(deps.db, draft.session!.externalId)) throw forgottenSession(draft.sources?.externalId ?? 'externalId');

  if (draft.messagesComplete === false) {
    if (apiConfigured(h.settings) && h.descriptor.api?.messages) {
      const queued = await queueCompletion(deps, h, deliveryId, payload, draft);
      if (queued) return queued;
      const again = await findDelivery(deps.db, name, deliveryId);
      return duplicate(deps, h, again!);
    }
    const incomplete = `${prefix}_URL e ${prefix}_API_TOKEN não estão configurados; só as mensagens que o webhook trouxe foram guardadas`;
    return received(await ingestDraft(deps, h, draft, ref, incomplete));
  }
  return received(await ingestDraft(deps, h, draft, ref));
}
