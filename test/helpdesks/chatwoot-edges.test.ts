import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHmac } from 'node:crypto';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox, SEED } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { conversationMessages, message, signChatwoot, statusChanged } from './chatwoot-fixtures.js';
import { startHelpdeskStub, type HelpdeskStub } from './stub.js';
import { chatMessages, chatOf, countRows, deliveries, postInbound, settledIntegrations } from './support.js';

const CURRENT = 'chatwoot-secret-after-rotation';
const PREVIOUS = 'chatwoot-secret-before-rotation';

describe('Chatwoot deliveries: signatures, bad payloads, missing fields, the API down', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let stub: HelpdeskStub;
  let now = Math.floor(Date.now() / 1000);
  const post = (raw: string, headers: Record<string, string>) => postInbound(p, 'chatwoot', raw, headers);
  const signed = (body: Record<string, unknown>, secret = CURRENT, timestamp = now) => {
    const raw = JSON.stringify(body);
    return post(raw, signChatwoot(secret, raw, timestamp));
  };
  const written = async () => ({ chats: await countRows(p, 'chats'), deliveries: await countRows(p, 'helpdesk_deliveries'), integrations: await countRows(p, 'integrations') });

  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    stub = await startHelpdeskStub('chatwoot');
    p = await startPonte('redis', {
      env: {
        ...s.env,
        CHATWOOT_WEBHOOK_SECRET: `${CURRENT},${PREVIOUS}`,
        CHATWOOT_URL: stub.url,
        CHATWOOT_API_TOKEN: stub.token,
        WEBHOOK_RETRY_SCALE: '0.001',
      },
    });
    now = Math.floor(p.deps.clock.now().getTime() / 1000);
  }, 120_000);
  afterAll(async () => {
    await p.close();
    await erp.close();
    await stub.close();
  });

  describe('the signature is the auth', () => {
    const refusal = (res: { statusCode: number; json(): any }, check: string) => {
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'INVALID_SIGNATURE', details: [{ check }] });
      expect(res.json().error.message.startsWith(`${check}:`)).toBe(true);
    };

    it('an unsigned call is refused, naming the check', async () => {
      const raw = JSON.stringify(statusChanged());
      refusal(await post(raw, { 'content-type': 'application/json', 'x-chatwoot-timestamp': String(now) }), 'unsigned');
    });

    it('a signature made with another secret, or over another body, is refused', async () => {
      refusal(await signed(statusChanged(), 'not-the-chatwoot-secret'), 'signature');
      const raw = JSON.stringify(statusChanged());
      const headers = signChatwoot(CURRENT, raw, now);
      refusal(await post(raw.replace('João Cliente', 'Joao Cliente'), headers), 'signature');
    });

    it('a timestamp more than 5 minutes away is refused even when the signature matches', async () => {
      refusal(await signed(statusChanged(), CURRENT, now - 301), 'timestamp');
      refusal(await signed(statusChanged(), CURRENT, now + 400), 'timestamp');
      const raw = JSON.stringify(statusChanged());
      const headers = signChatwoot(CURRENT, raw, now);
      delete headers['x-chatwoot-timestamp'];
      refusal(await post(raw, headers), 'timestamp');
    });

    it('during a rotation the previous secret is still accepted', async () => {
      const res = await signed(statusChanged({ status: 'open' }), PREVIOUS);
      expect(res.statusCode).toBe(202);
      expect(res.json().status).toBe('ignored');
    });

    it('the signature covers the exact bytes sent', async () => {
      // Same JSON, other spacing: signed as sent, so it is accepted.
      const raw = JSON.stringify(statusChanged({ status: 'pending' }), null, 2);
      const res = await post(raw, signChatwoot(CURRENT, raw, now));
      expect(res.statusCode).toBe(202);
      const manual = createHmac('sha256', CURRENT).update(`${now}.${raw}`).digest('hex');
      expect(signChatwoot(CURRENT, raw, now)['x-chatwoot-signature']).toBe(`sha256=${manual}`);
    });
  });

  describe('bad payloads answer 400 naming the field and write nothing', () => {
    it.each([
      ['a contact with neither e-mail nor phone', statusChanged({ contact: { email: null, phone_number: null } }), 'meta.sender'],
      ['a contact e-mail that is not one', statusChanged({ contact: { email: 'joao-at-paoquente' } }), 'meta.sender.email'],
      ['a client code that is not an ERP code', statusChanged({ contact: { custom_attributes: { codigo_cliente: 'ABC-1' } } }), 'meta.sender.custom_attributes.codigo_cliente'],
      ['no message to name the account', statusChanged({ messages: [] }), 'messages.0.account_id'],
      ['no event', (() => { const b = statusChanged(); delete b.event; return b; })(), 'event'],
      ['no creation time', (() => { const b = statusChanged(); delete b.created_at; return b; })(), 'created_at'],
      ['no conversation id', (() => { const b = statusChanged(); delete b.id; return b; })(), 'id'],
      ['a conversation id that is not one', statusChanged({ id: -1 }), 'id'],
    ])('%s', async (_what, body, path) => {
      const before = await written();
      const res = await signed(body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
      expect(await written()).toEqual(before);
    });

    it('a body that is not JSON', async () => {
      const raw = '{"event": "conversation_status_changed",';
      const res = await post(raw, signChatwoot(CURRENT, raw, now));
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'INVALID_JSON', details: [{ path: '(body)' }] });
    });
  });

  it('without the integration fields the chat is stored closed with no integration, its form ready, and the conversation is told', async () => {
    const id = 6100;
    stub.conversations.set(String(id), conversationMessages(id, 4));
    const body = statusChanged({ id, attributes: { assunto: 'Dúvida sobre boleto' } });
    const res = await signed(body);
    expect(res.statusCode).toBe(202);
    const chatId = await chatOf(p, 'chatwoot', res.json().deliveryId);
    const integrations = (await p.app.inject({ method: 'GET', url: `/v1/chats/${chatId}/integrations`, headers: auth('helpdesk') })).json().items;
    expect(integrations).toEqual([]);
    const form = (await p.app.inject({ method: 'GET', url: `/v1/chats/${chatId}/integration-form`, headers: auth('helpdesk') })).json();
    expect(form).toMatchObject({ available: true, chatStatus: 'closed', prefill: { clientCode: SEED.clients.company, contactPerson: 'João Cliente', subject: 'Dúvida sobre boleto' } });
    expect(form.prefill.transcript).toContain('Cliente 1: a NF-e foi rejeitada.');
    const note = await eventually(async () => stub.notes.find((n) => n.url.includes(`/conversations/${id}/`)), 'the note about the missing fields');
    expect(note.body.content).toContain('sem integração');
    expect(note.body.content).toContain('produto');
    expect(note.body.content).toContain('tipo de atendimento');
  });

  it('fields the ERP refuses leave the chat without an integration, the answer naming them', async () => {
    const id = 6200;
    stub.conversations.set(String(id), conversationMessages(id, 1));
    const body = statusChanged({ id, attributes: { produto: '00A0009999', tipo_atendimento: SEED.caseTypes.support, encerrar_atendimento: false, assunto: 'x' } });
    const res = await signed(body);
    const chatId = await chatOf(p, 'chatwoot', res.json().deliveryId);
    expect((await p.app.inject({ method: 'GET', url: `/v1/chats/${chatId}/integrations`, headers: auth('helpdesk') })).json().items).toEqual([]);
    const note = await eventually(async () => stub.notes.find((n) => n.url.includes(`/conversations/${id}/`)), 'the note about the refused field');
    expect(note.body.content).toContain('o ERP não aceita produto');
  });

  it('an integration the ERP fails sends the error an admin must fix to the conversation', async () => {
    const id = 6300;
    stub.conversations.set(String(id), conversationMessages(id, 2));
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', action: { type: 'validation', field: 'Assunto', message: 'Assunto contém caracteres inválidos' } });
    const res = await signed(statusChanged({ id }));
    const chatId = await chatOf(p, 'chatwoot', res.json().deliveryId);
    const [failed] = await settledIntegrations(p, chatId, 'failed');
    const note = await eventually(async () => stub.notes.find((n) => n.url.includes(`/conversations/${id}/`)), 'the note about the failure');
    expect(note.body.content).toContain('falhou e aguarda um administrador');
    expect(note.body.content).toContain(failed!.lastError!.code);
    expect(note.body.content).toContain(failed!.id);
  });

  it('when the Chatwoot API keeps failing, the chat is written with what the payload carried and says why', async () => {
    const id = 6400;
    stub.conversations.set(String(id), conversationMessages(id, 6));
    stub.failNext(`/conversations/${id}/messages`, 503, 503, 0, 503);
    const res = await signed(statusChanged({ id, messages: [message(id, 6, 1, 'Agente 6: resolvido.')] }));
    expect(res.json().status).toBe('queued');
    const chatId = await chatOf(p, 'chatwoot', res.json().deliveryId);
    const lines = await chatMessages(p, chatId);
    expect(lines.map((l) => l.text)).toEqual(['Agente 6: resolvido.', expect.stringContaining('Histórico incompleto')]);
    expect(lines[1]).toMatchObject({ from: 'system', private: true });
    const row = (await deliveries(p, 'chatwoot')).find((d) => d.chatId === chatId)!;
    expect(row.completionError).toContain('HELPDESK_HTTP_503');
    await settledIntegrations(p, chatId);
  });

  it('a conversation delivered again after its chat was erased is 409 SESSION_FORGOTTEN: no second chat, no second ERP case', async () => {
    const id = 6450;
    stub.conversations.set(String(id), conversationMessages(id, 2));
    const body = statusChanged({ id, contact: { email: 'apagada@paoquente.com.br' } });
    const first = await signed(body);
    expect(first.statusCode).toBe(202);
    await settledIntegrations(p, await chatOf(p, 'chatwoot', first.json().deliveryId));
    const erase = await p.app.inject({ method: 'POST', url: '/v1/admin/data-subjects/erase', headers: auth('admin'), payload: { match: { email: 'apagada@paoquente.com.br' }, mode: 'erase', confirm: true } });
    expect(erase.statusCode, erase.body).toBe(202);
    await eventually(async () => {
      const e = (await p.app.inject({ url: `/v1/admin/data-subjects/erasures/${erase.json().id}`, headers: auth('admin') })).json();
      return e.status === 'done' ? e : undefined;
    }, 'the erasure done', 60_000);
    const before = await written();
    const cases = erp.state.cases.length;

    const again = await signed(body);
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'SESSION_FORGOTTEN', details: [{ path: 'id' }] });
    expect(await written()).toEqual(before);
    expect(erp.state.cases.length).toBe(cases);
  });

  it('a note whose answer was lost is not posted twice', async () => {
    const id = 6500;
    stub.conversations.set(String(id), conversationMessages(id, 2));
    // The first note POST reaches Chatwoot, but its answer is lost (the connection drops after).
    stub.failNext(`POST /conversations/${id}/messages`, -1);
    const res = await signed(statusChanged({ id }));
    const chatId = await chatOf(p, 'chatwoot', res.json().deliveryId);
    await settledIntegrations(p, chatId);
    const notes = await eventually(async () => {
      const listed = (await p.app.inject({ method: 'GET', url: `/v1/admin/helpdesk-notes?chatId=${chatId}`, headers: auth('admin') })).json().items;
      return listed[0]?.status === 'delivered' ? listed : undefined;
    }, 'note delivered');
    expect(notes).toHaveLength(1);
    expect(stub.notes.filter((n) => n.url.includes(`/conversations/${id}/`))).toHaveLength(1);
    const detail = (await p.app.inject({ method: 'GET', url: `/v1/admin/helpdesk-notes/${notes[0].id}`, headers: auth('admin') })).json();
    expect(detail.attemptsLog.map((a: { outcome: string }) => a.outcome)).toEqual(['retrying', 'found']);
    expect(detail).toMatchObject({ kind: 'integration.succeeded', status: 'delivered', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), deliveredAt: expect.stringMatching(/Z$/) });
    expect(detail.attemptsLog[1]).toMatchObject({ attempt: 2, startedAt: expect.stringMatching(/^\d{4}-/) });
    const replayed = await p.app.inject({ method: 'POST', url: `/v1/admin/helpdesk-notes/${detail.id}/replay`, headers: auth('admin') });
    expect(replayed.statusCode).toBe(202);
    expect(replayed.json()).toMatchObject({ status: 'pending', replays: 1 });
    await eventually(async () => (await p.app.inject({ method: 'GET', url: `/v1/admin/helpdesk-notes/${detail.id}`, headers: auth('admin') })).json().status === 'delivered', 'replayed note delivered');
    const [row] = (await deliveries(p, 'chatwoot')).filter((d) => d.chatId === chatId);
    expect(row).toMatchObject({ status: 'ingested', receivedAt: expect.stringMatching(/^\d{4}-/) });
  });
});
