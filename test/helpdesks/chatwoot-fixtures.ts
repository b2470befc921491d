// Chatwoot payloads shaped as Chatwoot sends them: the conversation's webhook data
// (Conversations::EventDataPresenter#push_data) merged with `event` and `changed_attributes`,
// message pages as GET .../conversations/{id}/messages answers them (`{meta, payload}`, 20 a
// page), signed as Webhooks::Trigger signs: sha256=HMAC-SHA256(secret, "<timestamp>.<body>").

import { createHmac, randomUUID } from 'node:crypto';
import { SEED } from '../support/fixtures.js';

export const ACCOUNT = 2;
export const INBOX = 3;
const START = Date.parse('2026-11-20T13:00:00Z') / 1000;

const agent = { id: 7, name: 'Ana Souza', available_name: 'Ana Souza', avatar_url: '', type: 'user', availability_status: 'online', thumbnail: '' };

export function contact(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    additional_attributes: { city: 'São Paulo', company_name: 'Padaria Pão Quente Ltda' },
    custom_attributes: { codigo_cliente: SEED.clients.company },
    email: 'joao@paoquente.com.br',
    id: 41,
    identifier: null,
    name: 'João Cliente',
    phone_number: '+5511940000000',
    thumbnail: '',
    blocked: false,
    type: 'contact',
    ...overrides,
  };
}

/** One message as push_event_data renders it (message_type 0 incoming, 1 outgoing, 2 activity). */
export function message(conversationId: number, id: number, type: 0 | 1 | 2 | 3, content: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const fromAgent = type === 1;
  return {
    id,
    content,
    account_id: ACCOUNT,
    inbox_id: INBOX,
    conversation_id: conversationId,
    message_type: type,
    created_at: START + id * 10,
    updated_at: new Date((START + id * 10) * 1000).toISOString(),
    private: false,
    status: 'sent',
    source_id: null,
    content_type: 'text',
    content_attributes: {},
    sender_type: fromAgent ? 'User' : 'Contact',
    sender_id: fromAgent ? agent.id : 41,
    external_source_ids: {},
    additional_attributes: {},
    processed_message_content: content,
    sentiment: {},
    sender: fromAgent ? agent : { id: 41, name: 'João Cliente', email: 'joao@paoquente.com.br', phone_number: '+5511940000000', type: 'contact', thumbnail: '' },
    ...extra,
  };
}

/** A conversation of `count` messages alternating client and agent, ids from 1. */
export function conversationMessages(conversationId: number, count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => message(conversationId, i + 1, i % 2 === 0 ? 0 : 1, i % 2 === 0 ? `Cliente ${i + 1}: a NF-e foi rejeitada.` : `Agente ${i + 1}: vamos verificar o certificado.`));
}

export interface ConversationOptions {
  id?: number;
  status?: string;
  event?: string;
  attributes?: Record<string, unknown>;
  contact?: Record<string, unknown>;
  assignee?: Record<string, unknown> | null;
  messages?: Array<Record<string, unknown>>;
}

/** The body of a conversation_status_changed webhook (resolved by default), with the integration attributes filled. */
export function statusChanged(options: ConversationOptions = {}): Record<string, unknown> {
  const id = options.id ?? Math.floor(Math.random() * 1e6) + 1000;
  const status = options.status ?? 'resolved';
  const messages = options.messages ?? [message(id, 4, 1, 'Agente 4: certificado renovado, pode emitir.')];
  return {
    additional_attributes: { browser: { device_name: 'Unknown', browser_name: 'Chrome', platform_name: 'Windows', browser_version: '131.0.0.0', platform_version: '10.0' }, referer: 'https://paoquente.com.br/contato', initiated_at: { timestamp: 'Fri Nov 20 2026 10:00:00 GMT-0300' } },
    can_reply: true,
    channel: 'Channel::WebWidget',
    contact_inbox: { id: 180, contact_id: 41, inbox_id: INBOX, source_id: randomUUID(), created_at: '2026-11-20T13:00:00.000Z', updated_at: '2026-11-20T13:00:00.000Z', hmac_verified: false, pubsub_token: 'wfTzyNgmiE8YagFL3m4JU8Fi' },
    id,
    inbox_id: INBOX,
    messages,
    labels: ['nfe'],
    meta: {
      sender: contact(options.contact),
      assignee: options.assignee === undefined ? agent : options.assignee,
      assignee_type: options.assignee === null ? null : 'User',
      team: null,
      hmac_verified: false,
    },
    status,
    custom_attributes: options.attributes ?? {
      produto: `Bimer ERP (${SEED.products.erp})`,
      tipo_atendimento: SEED.caseTypes.support,
      encerrar_atendimento: true,
      centro_responsabilidade: SEED.centers.support,
      assunto: 'NF-e rejeitada',
    },
    snoozed_until: null,
    unread_count: 0,
    first_reply_created_at: '2026-11-20T13:00:20.000Z',
    priority: null,
    waiting_since: 0,
    agent_last_seen_at: START + 590,
    contact_last_seen_at: START + 580,
    last_activity_at: START + 600,
    timestamp: START + 600,
    created_at: START,
    updated_at: START + 600.123,
    event: options.event ?? 'conversation_status_changed',
    changed_attributes: [{ status: { previous_value: 'open', current_value: status } }],
  };
}

/** One page of GET /api/v1/accounts/{a}/conversations/{id}/messages. */
export function messagesPage(items: Array<Record<string, unknown>>): Record<string, unknown> {
  return { meta: { labels: ['nfe'], additional_attributes: {}, contact: contact(), assignee: agent, agent_last_seen_at: START + 590, assignee_last_seen_at: START + 590 }, payload: items };
}

export function signChatwoot(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000), delivery: string = randomUUID()): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return {
    'content-type': 'application/json',
    'x-chatwoot-signature': `sha256=${signature}`,
    'x-chatwoot-timestamp': String(timestamp),
    'x-chatwoot-delivery': delivery,
  };
}
