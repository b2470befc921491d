// Zammad payloads shaped as Zammad sends them: a trigger webhook's default body
// (TriggerWebhookJob::RecordPayload: the ticket's attributes with its owner, customer, group,
// organization, priority, created_by and updated_by expanded, and the article), its articles as
// GET /api/v1/ticket_articles/by_ticket/{id} lists them, signed as Zammad's UserAgent signs:
// X-Hub-Signature: sha1=HMAC-SHA1(signature token, raw body).

import { createHmac, randomUUID } from 'node:crypto';
import { SEED } from '../support/fixtures.js';

const T0 = Date.parse('2026-11-20T13:00:00Z');
const iso = (offsetSeconds: number) => new Date(T0 + offsetSeconds * 1000).toISOString();

const agentUser = {
  active: true, created_at: '2026-01-05T12:57:48.036Z', created_by: '-', created_by_id: 1, email: 'ana.souza@suporte.com.br',
  firstname: 'Ana', id: 5, image: 'b64fef91c29105b4a08a2a69be08eda3', lastname: 'Souza', login: 'ana.souza@suporte.com.br',
  organization: 'Suporte Ltda', organization_id: 2, out_of_office: false, role_ids: [2], roles: ['Agent'],
  updated_at: '2026-01-05T12:57:48.072Z', updated_by: '-', updated_by_id: 1, verified: false, vip: false,
};

export function customer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    active: true, address: 'Rua das Flores, 100\nSão Paulo SP', created_at: '2026-02-10T12:57:48.779Z', created_by: '-', created_by_id: 1,
    email: 'joao@paoquente.com.br', firstname: 'João', id: 8, image: '99ba64a89f7783c099c304c9b00ff9e8', lastname: 'Cliente',
    login: 'joao@paoquente.com.br', mobile: '', note: '', organization: 'Padaria Pão Quente Ltda', organization_id: 3, out_of_office: false,
    phone: '+55 11 4000-0000', role_ids: [3], roles: ['Customer'], updated_at: '2026-11-20T13:00:01.366Z', updated_by: 'joao@paoquente.com.br',
    updated_by_id: 8, verified: false, vip: false, codigo_cliente: SEED.clients.company, cpf_cnpj: '11222333000181',
    ...overrides,
  };
}

/** One article as attributes_with_association_names renders it (created_by is a login there). */
export function article(ticketId: number, id: number, sender: 'Customer' | 'Agent' | 'System', body: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const fromAgent = sender === 'Agent';
  return {
    id, ticket_id: ticketId, type_id: 5, sender_id: fromAgent ? 1 : 2,
    from: fromAgent ? 'Ana Souza via Suporte <suporte@suporte.com.br>' : 'João Cliente <joao@paoquente.com.br>',
    to: fromAgent ? 'joao@paoquente.com.br' : 'Suporte', cc: null, subject: null, reply_to: null, message_id: null, message_id_md5: null, in_reply_to: null,
    content_type: 'text/html', references: null, body, internal: false, preferences: {}, updated_by_id: fromAgent ? 5 : 8, created_by_id: fromAgent ? 5 : 8,
    origin_by_id: null, created_at: iso(id * 10), updated_at: iso(id * 10), type: 'phone', sender, created_by: fromAgent ? agentUser.login : 'joao@paoquente.com.br',
    updated_by: fromAgent ? agentUser.login : 'joao@paoquente.com.br', origin_by: null, attachments: [],
    ...extra,
  };
}

export function ticketArticles(ticketId: number): Array<Record<string, unknown>> {
  return [
    article(ticketId, 1, 'Customer', '<div>A NF-e foi rejeitada pela SEFAZ.</div><div><br></div><div>Erro 539 &amp; duplicidade?</div>'),
    article(ticketId, 2, 'Agent', 'Cliente com certificado vencido; conferir com o financeiro.', { internal: true, type: 'note', content_type: 'text/plain' }),
    article(ticketId, 3, 'Agent', '<p>O certificado A1 venceu: renovamos e a nota foi autorizada.</p>'),
  ];
}

export interface TicketOptions {
  id?: number;
  state?: string;
  attributes?: Record<string, unknown>;
  customer?: Record<string, unknown>;
  articleCount?: number;
  article?: Record<string, unknown>;
}

/** The body of a trigger webhook for a ticket (closed by default), with the integration attributes filled. */
export function triggerPayload(options: TicketOptions = {}): Record<string, unknown> {
  const id = options.id ?? Math.floor(Math.random() * 1e6) + 1000;
  const state = options.state ?? 'closed';
  const articles = ticketArticles(id);
  return {
    ticket: {
      article_count: options.articleCount ?? articles.length,
      article_ids: articles.map((a) => a.id),
      close_at: state === 'closed' ? iso(600) : null,
      create_article_sender: 'Customer', create_article_sender_id: 2, create_article_type: 'phone', create_article_type_id: 5,
      created_at: iso(0),
      created_by: agentUser, created_by_id: 5,
      customer: customer(options.customer), customer_id: 8,
      group: { active: true, created_at: '2026-01-05T12:57:47.498Z', created_by: '-', created_by_id: 1, follow_up_assignment: true, follow_up_possible: 'yes', id: 3, name: 'Service Desk', updated_at: '2026-01-05T12:57:48.044Z', updated_by: '-', updated_by_id: 1, user_ids: [5], users: [agentUser.login] },
      group_id: 3,
      id,
      last_contact_at: iso(30), last_contact_customer_at: iso(10),
      number: String(10000 + id),
      organization: { active: true, created_at: '2026-01-05T12:57:47.524Z', created_by: '-', created_by_id: 1, domain_assignment: false, id: 3, member_ids: [8], members: ['joao@paoquente.com.br'], name: 'Padaria Pão Quente Ltda', note: '', shared: true, updated_at: '2026-11-20T13:00:00.346Z', updated_by: '-', updated_by_id: 1 },
      organization_id: 3,
      owner: agentUser, owner_id: 5,
      priority: { active: true, created_at: '2026-01-05T12:54:02.238Z', created_by: '-', created_by_id: 1, default_create: true, id: 2, name: '2 normal', updated_at: '2026-01-05T12:54:02.238Z', updated_by: '-', updated_by_id: 1 },
      priority_id: 2,
      state, state_id: state === 'closed' ? 4 : 2,
      ticket_time_accounting: [], ticket_time_accounting_ids: [],
      title: 'NF-e rejeitada',
      updated_at: iso(600),
      updated_by: agentUser, updated_by_id: 5,
      ...(options.attributes ?? {
        produto: `Bimer ERP (${SEED.products.erp})`,
        tipo_atendimento: SEED.caseTypes.support,
        encerrar_atendimento: true,
        centro_responsabilidade: SEED.centers.support,
      }),
    },
    article: options.article ?? { ...articles[2], created_by: agentUser, updated_by: agentUser, accounted_time: 0 },
  };
}

export function signZammad(token: string, body: string, delivery: string = randomUUID(), trigger = 'ponte: chamado fechado'): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Zammad User Agent',
    'x-zammad-trigger': trigger,
    'x-zammad-delivery': delivery,
    'x-hub-signature': `sha1=${createHmac('sha1', token).update(body).digest('hex')}`,
  };
}
