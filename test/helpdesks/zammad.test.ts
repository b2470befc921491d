import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox, SEED } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { signZammad, ticketArticles, triggerPayload } from './zammad-fixtures.js';
import { startHelpdeskStub, type HelpdeskStub } from './stub.js';
import { chatMessages, chatOf, countRows, postInbound, settledIntegrations } from './support.js';

const TOKEN = 'zammad-hmac-sha1-signature-token';

describe('Zammad posts a closed ticket', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let stub: HelpdeskStub;
  const post = (body: Record<string, unknown>, delivery?: string, token = TOKEN) => {
    const raw = JSON.stringify(body);
    return postInbound(p, 'zammad', raw, signZammad(token, raw, delivery));
  };

  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    stub = await startHelpdeskStub('zammad');
    p = await startPonte('redis', {
      env: {
        ...s.env,
        ZAMMAD_WEBHOOK_SECRET: TOKEN,
        ZAMMAD_URL: stub.url,
        ZAMMAD_API_TOKEN: stub.token,
        ZAMMAD_DEPARTMENTS: '{"Service Desk": "suporte"}',
        ZAMMAD_CLOSED_STATES: 'closed,resolvido',
        WEBHOOK_RETRY_SCALE: '0.001',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await p.close();
    await erp.close();
    await stub.close();
  });

  it('becomes a closed chat with every article read from the Zammad API, internal ones as private lines, an ERP case, and an internal note with its number', async () => {
    const id = 81;
    stub.conversations.set(String(id), ticketArticles(id));
    const res = await post(triggerPayload({ id }), 'zammad-delivery-81');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'queued', helpdesk: 'zammad', externalId: 'zammad:81' });

    const chatId = await chatOf(p, 'zammad', 'zammad-delivery-81');
    const chat = (await p.app.inject({ method: 'GET', url: `/v1/chats/${chatId}`, headers: auth('helpdesk') })).json();
    expect(chat).toMatchObject({ status: 'closed', departmentId: 'suporte', subject: 'NF-e rejeitada', agentId: 'zammad:5' });
    const lines = await chatMessages(p, chatId);
    expect(lines.map((l) => [l.from, l.private, l.text])).toEqual([
      ['client', false, 'A NF-e foi rejeitada pela SEFAZ.\n\nErro 539 & duplicidade?'],
      ['agent', true, 'Cliente com certificado vencido; conferir com o financeiro.'],
      ['agent', false, 'O certificado A1 venceu: renovamos e a nota foi autorizada.'],
    ]);
    expect(lines[0]!.authorName).toBe('João Cliente');
    const read = stub.requests.find((r) => r.url === `/api/v1/ticket_articles/by_ticket/${id}`)!;
    expect(read.headers.authorization).toBe(`Token token=${stub.token}`);

    const [integration] = await settledIntegrations(p, chatId);
    const erpCase = erp.state.cases.find((c) => c.ReferenciaExterna === integration!.id)!;
    expect(erpCase).toMatchObject({ CodigoCliente: SEED.clients.company, IdentificadorTipoAtendimento: SEED.caseTypes.support, Assunto: 'NF-e rejeitada' });
    expect(erpCase.Pareceres[0]!.Texto).not.toContain('financeiro');

    const note = await eventually(async () => stub.notes.find((n) => n.body.ticket_id === id), 'the internal article');
    expect(note.body).toMatchObject({ ticket_id: id, type: 'note', internal: true, content_type: 'text/plain' });
    expect(note.body.body).toContain(`atendimento nº ${integration!.erpProcessNumber} criado`);
  });

  it('a ticket whose payload holds every article is written at once; a redelivery creates nothing new', async () => {
    const id = 82;
    const [first] = ticketArticles(id);
    const body = triggerPayload({ id, articleCount: 1, article: first, state: 'resolvido' });
    const res = await post(body, 'zammad-delivery-82');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'created', externalId: 'zammad:82', transcriptComplete: true, integrations: [{ status: 'pending' }] });
    expect(stub.requests.some((r) => r.url.includes(`/by_ticket/${id}`))).toBe(false);
    await settledIntegrations(p, res.json().chatId);
    const before = { chats: await countRows(p, 'chats'), cases: erp.state.cases.length };
    const again = await post(body, 'zammad-delivery-82');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'duplicate', chatId: res.json().chatId });
    expect({ chats: await countRows(p, 'chats'), cases: erp.state.cases.length }).toEqual(before);
  });

  it('a ticket in a state that is not closed is ignored', async () => {
    const res = await post(triggerPayload({ state: 'pending reminder' }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'ignored' });
    expect(res.json().reason).toContain('pending reminder');
  });

  it('a signature made with another token, or none, is refused naming the check', async () => {
    const wrong = await post(triggerPayload(), undefined, 'another-token');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.details[0]).toMatchObject({ path: 'x-hub-signature', check: 'signature' });
    const raw = JSON.stringify(triggerPayload());
    const { 'x-hub-signature': _, ...unsigned } = signZammad(TOKEN, raw);
    const none = await postInbound(p, 'zammad', raw, unsigned);
    expect(none.statusCode).toBe(401);
    expect(none.json().error.details[0].check).toBe('unsigned');
  });

  it('bad payloads answer 400 naming the field and write nothing', async () => {
    const before = { chats: await countRows(p, 'chats'), deliveries: await countRows(p, 'helpdesk_deliveries') };
    const noState = triggerPayload();
    delete (noState.ticket as Record<string, unknown>).state;
    const missingState = await post(noState);
    expect(missingState.statusCode).toBe(400);
    expect(missingState.json().error.details.map((d: { path: string }) => d.path)).toContain('ticket.state');

    const noContact = await post(triggerPayload({ customer: { email: '', phone: '', mobile: '' } }));
    expect(noContact.statusCode).toBe(400);
    expect(noContact.json().error.details.map((d: { path: string }) => d.path)).toContain('ticket.customer');

    const badDate = triggerPayload();
    (badDate.ticket as Record<string, unknown>).created_at = 'ontem';
    const wrongDate = await post(badDate);
    expect(wrongDate.statusCode).toBe(400);
    expect(wrongDate.json().error.details.map((d: { path: string }) => d.path)).toContain('ticket.created_at');
    expect({ chats: await countRows(p, 'chats'), deliveries: await countRows(p, 'helpdesk_deliveries') }).toEqual(before);
  });
});
