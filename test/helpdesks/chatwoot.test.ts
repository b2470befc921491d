import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte, type Mode } from '../support/ponte.js';
import { sandbox, SEED } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { ACCOUNT, conversationMessages, message, signChatwoot, statusChanged } from './chatwoot-fixtures.js';
import { startHelpdeskStub, type HelpdeskStub } from './stub.js';
import { chatMessages, chatOf, countRows, postInbound, settledIntegrations } from './support.js';

const SECRET = 'chatwoot-webhook-secret-current';
const MODES: Mode[] = ['embedded', 'redis'];

describe.each(MODES)('Chatwoot posts a resolved conversation, %s mode', (mode) => {
  let p: Ponte;
  let erp: BimerSandbox;
  let stub: HelpdeskStub;
  const post = (body: Record<string, unknown>, delivery?: string) => {
    const raw = JSON.stringify(body);
    return postInbound(p, 'chatwoot', raw, signChatwoot(SECRET, raw, undefined, delivery));
  };

  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    stub = await startHelpdeskStub('chatwoot');
    p = await startPonte(mode, {
      env: {
        ...s.env,
        CHATWOOT_WEBHOOK_SECRET: SECRET,
        CHATWOOT_URL: stub.url,
        CHATWOOT_API_TOKEN: stub.token,
        CHATWOOT_DEPARTMENTS: '3=suporte,*=geral',
        WEBHOOK_RETRY_SCALE: '0.001',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await p.close();
    await erp.close();
    await stub.close();
  });

  it('becomes a closed chat with every message read from the Chatwoot API, private notes as private lines, and its ERP case is created', async () => {
    const id = 5100 + MODES.indexOf(mode);
    const history = conversationMessages(id, 24);
    history.splice(10, 0, message(id, 50, 1, 'Nota interna: cliente inadimplente, confirmar pagamento.', { private: true }));
    history.splice(11, 0, message(id, 51, 2, 'Ana Souza self-assigned this conversation'));
    // Ids in created order, as Chatwoot's are.
    history.forEach((m, i) => Object.assign(m, { id: 1000 + i, created_at: 1_795_000_000 + i * 10 }));
    stub.conversations.set(String(id), history);
    const body = statusChanged({ id, messages: [history.at(-1)!] });

    const res = await post(body, `delivery-${id}`);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'queued', helpdesk: 'chatwoot', deliveryId: `delivery-${id}`, externalId: `chatwoot:${ACCOUNT}:${id}` });

    const chatId = await chatOf(p, 'chatwoot', `delivery-${id}`);
    const chat = (await p.app.inject({ method: 'GET', url: `/v1/chats/${chatId}`, headers: auth('helpdesk') })).json();
    expect(chat).toMatchObject({ status: 'closed', departmentId: 'suporte', subject: 'NF-e rejeitada' });
    const lines = await chatMessages(p, chatId);
    expect(lines).toHaveLength(25);
    expect(lines.filter((l) => l.private).map((l) => l.text)).toEqual(['Nota interna: cliente inadimplente, confirmar pagamento.']);
    expect(lines[0]).toMatchObject({ from: 'client', authorName: 'João Cliente', text: 'Cliente 1: a NF-e foi rejeitada.' });
    expect(lines.some((l) => l.text.includes('self-assigned'))).toBe(false);
    // Two pages: the latest 20, then the older ones before the oldest id of the first.
    const reads = stub.requests.filter((r) => r.method === 'GET' && r.url.startsWith(`/api/v1/accounts/${ACCOUNT}/conversations/${id}/messages`));
    expect(reads.map((r) => r.url)).toEqual([`/api/v1/accounts/${ACCOUNT}/conversations/${id}/messages`, `/api/v1/accounts/${ACCOUNT}/conversations/${id}/messages?before=1006`]);
    expect(reads[0]!.headers.api_access_token).toBe(stub.token);

    const [integration] = await settledIntegrations(p, chatId);
    const erpCase = erp.state.cases.find((c) => c.ReferenciaExterna === integration!.id)!;
    expect(erpCase).toMatchObject({ CodigoCliente: SEED.clients.company, IdentificadorProduto: SEED.products.erp, Situacao: 'ENCERRADO' });
    expect(erpCase.Pareceres[0]!.Texto).toContain('Cliente 1: a NF-e foi rejeitada.');
    expect(erpCase.Pareceres[0]!.Texto).not.toContain('Nota interna');

    const note = await eventually(async () => stub.notes.find((n) => n.url.includes(`/conversations/${id}/`)), 'the internal note');
    expect(note.body).toMatchObject({ message_type: 'outgoing', private: true });
    expect(note.body.content).toContain(`atendimento nº ${integration!.erpProcessNumber} criado`);
    const notes = (await p.app.inject({ method: 'GET', url: `/v1/admin/helpdesk-notes?chatId=${chatId}`, headers: auth('admin') })).json();
    await eventually(async () => {
      const listed = (await p.app.inject({ method: 'GET', url: `/v1/admin/helpdesk-notes?chatId=${chatId}`, headers: auth('admin') })).json();
      return listed.items[0]?.status === 'delivered';
    }, 'note recorded delivered');
    expect(notes.items[0]).toMatchObject({ helpdesk: 'chatwoot', kind: 'integration.succeeded', integrationId: integration!.id });
  });

  it('a redelivery creates nothing new; another delivery of the same conversation answers the existing chat', async () => {
    const id = 5200 + MODES.indexOf(mode);
    stub.conversations.set(String(id), conversationMessages(id, 3));
    const body = statusChanged({ id });
    const first = await post(body, `delivery-${id}`);
    expect(first.statusCode).toBe(202);
    const chatId = await chatOf(p, 'chatwoot', `delivery-${id}`);
    await settledIntegrations(p, chatId);
    const before = { chats: await countRows(p, 'chats'), integrations: await countRows(p, 'integrations'), cases: erp.state.cases.length };

    const again = await post(body, `delivery-${id}`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'duplicate', chatId, externalId: `chatwoot:${ACCOUNT}:${id}` });
    const resolvedAgain = await post(body, `delivery-${id}-b`);
    expect(resolvedAgain.statusCode).toBe(200);
    expect(resolvedAgain.json()).toMatchObject({ status: 'existing', chatId });

    expect({ chats: await countRows(p, 'chats'), integrations: await countRows(p, 'integrations'), cases: erp.state.cases.length }).toEqual(before);
  });

  it('an event that does not resolve a conversation is ignored', async () => {
    const before = await countRows(p, 'helpdesk_deliveries');
    const opened = await post(statusChanged({ status: 'open' }));
    expect(opened.statusCode).toBe(202);
    expect(opened.json()).toMatchObject({ status: 'ignored' });
    expect(opened.json().reason).toContain('status open');
    const created = await post({ event: 'message_created', id: 1, content: 'Oi', message_type: 'incoming' });
    expect(created.statusCode).toBe(202);
    expect(created.json().status).toBe('ignored');
    expect(await countRows(p, 'helpdesk_deliveries')).toBe(before);
  });
});
