// Reads of a person's data appear in the access log with the key, the acting agent, the address
// and the time, found by the person's identifiers; corrections change every chat and return.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPonte, auth, eventually, KEYS, type Ponte } from '../support/ponte.js';
import { inDays } from '../returns/fixtures.js';
import { multipart } from '../chats/fixtures.js';
import { openStream } from '../support/sse.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { LOGGED_READS } from '../../src/data-subjects/access-log.js';
import { ok } from './flow.js';

describe('access log and correction (postgres)', () => {
  let p: Ponte;
  let receiver: Receiver;
  let chatId: string;
  let returnId: string;
  const client = { name: 'Rita Moura', email: 'rita@cliente.example', phone: '(11) 4000-1234', taxId: '52998224725' };

  beforeAll(async () => {
    p = await startPonte('postgres', { env: { AGENTS_CAN_CLOSE: 'true', PONTE_WEBHOOK_ALLOW_PRIVATE: 'true' } });
    receiver = await startReceiver();
    await ok(p, 'PUT', '/v1/departments/support', { name: 'Suporte', systems: [] }, 'admin');
    await ok(p, 'PUT', '/v1/agents/ana', { name: 'Ana', departmentIds: ['support'], online: true, spellcheck: false }, 'admin');
    chatId = (await ok(p, 'POST', '/v1/chats', { client, departmentId: 'support' })).id;
    returnId = (await ok(p, 'POST', '/v1/returns', { clientEmail: client.email, type: 'custom', contactPerson: client.name, validUntil: inDays(10), subject: 'Oi', description: 'Texto' })).id;
  }, 120_000);
  afterAll(async () => {
    await p?.close();
    await receiver?.close();
  });

  const log = async (query: string) => (await ok(p, 'GET', `/v1/admin/access-log?${query}`, undefined, 'admin')) as { items: Array<Record<string, unknown>>; nextCursor: string | null };

  it('records chat details, transcripts and returns read, with the acting agent, key and address', async () => {
    await ok(p, 'GET', `/v1/chats/${chatId}/details?agentId=ana`);
    await ok(p, 'GET', `/v1/chats/${chatId}/transcript?agentId=ana`);
    await ok(p, 'GET', `/v1/returns/${returnId}?agentId=ana`);
    const { items } = await log(`subject=${encodeURIComponent(client.email)}`);
    expect(items.map((i) => i.action)).toEqual(['return.read', 'chat.transcript', 'chat.details']);
    for (const item of items) expect(item).toMatchObject({ keyName: 'helpdesk', agentId: 'ana', ip: '127.0.0.1' });
    expect(items[2]).toMatchObject({ targetType: 'chat', targetId: chatId });
    // The same person by CPF or phone, in any formatting; by record id; and by actor.
    expect((await log('subject=529.982.247-25')).items.map((i) => i.action)).toEqual(['chat.transcript', 'chat.details']);
    expect((await log(`subject=${encodeURIComponent('+55 11 4000 1234')}`)).items).toHaveLength(2);
    expect((await log(`subject=${returnId}`)).items).toHaveLength(1);
    expect((await log('actor=ana')).items.length).toBeGreaterThanOrEqual(3);
  });

  it('records an export, pages with a cursor, filters by time, and refuses a bad date', async () => {
    await ok(p, 'GET', `/v1/admin/data-subjects/export?email=${encodeURIComponent(client.email)}`, undefined, 'admin');
    const first = await log(`subject=${encodeURIComponent(client.email)}&limit=1`);
    expect(first.items[0]).toMatchObject({ action: 'data_subject.export', keyName: 'admin' });
    const second = await log(`subject=${encodeURIComponent(client.email)}&limit=1&cursor=${first.nextCursor}`);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
    expect((await log(`subject=${encodeURIComponent(client.email)}&since=2999-01-01T00:00:00Z`)).items).toEqual([]);
    const bad = await p.app.inject({ method: 'GET', url: '/v1/admin/access-log?since=yesterday', headers: auth('admin') });
    expect(bad.statusCode).toBe(400);
    const helpdesk = await p.app.inject({ method: 'GET', url: '/v1/admin/access-log', headers: auth('helpdesk') });
    expect(helpdesk.statusCode).toBe(403);
  });

  it('does not record a read that failed', async () => {
    const missing = await p.app.inject({ method: 'GET', url: '/v1/chats/00000000-0000-0000-0000-000000000000/details', headers: auth('helpdesk') });
    expect(missing.statusCode).toBe(404);
    expect((await log('subject=00000000-0000-0000-0000-000000000000')).items).toEqual([]);
  });

  it("corrects the client's name, e-mail and phone on every chat and return, audited without the values", async () => {
    const res = await ok(p, 'PATCH', '/v1/admin/data-subjects', { match: { taxId: '529.982.247-25' }, set: { name: 'Rita Moura Lima', email: 'Rita.Lima@cliente.example', phone: '(11) 4000-9999' } }, 'admin');
    expect(res).toEqual({ fields: ['email', 'name', 'phone'], updated: { chats: 1, returns: 1, messages: 0 } });
    expect((await ok(p, 'GET', `/v1/chats/${chatId}`)).client).toMatchObject({ name: 'Rita Moura Lima', email: 'rita.lima@cliente.example', phone: '(11) 4000-9999' });
    expect(await ok(p, 'GET', `/v1/returns/${returnId}`)).toMatchObject({ clientEmail: 'rita.lima@cliente.example', contactPerson: 'Rita Moura Lima' });
    const audit = await ok(p, 'GET', '/v1/admin/audit?action=data_subject.corrected', undefined, 'admin');
    expect(audit.items).toHaveLength(1);
    expect(JSON.stringify(audit.items[0])).not.toContain('rita');
    const bad = await p.app.inject({ method: 'PATCH', url: '/v1/admin/data-subjects', headers: auth('admin'), payload: { match: { email: 'x' }, set: { email: 'y' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['match.email', 'set.email']);
  });

  it("records the chat's live stream, the portal chat, a mail, a webhook delivery and an export's file download", async () => {
    const lia = { name: 'Lia Prado', email: 'lia@cliente.example', phone: '(21) 3555-0101' };
    const hook = await ok(p, 'POST', '/v1/webhooks', { url: receiver.url, events: ['chat.closed'] }, 'admin');
    const chat = await ok(p, 'POST', '/v1/chats', { client: lia, departmentId: 'support' });
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (p.app.server.address() as { port: number }).port;
    const stream = openStream(port, `/v1/chats/${chat.id}/events?agentId=ana`, KEYS.helpdesk);
    await eventually(async () => stream.opened(), 'the stream opened');
    stream.close();

    const upload = await p.app.inject({ method: 'POST', url: `/v1/chats/${chat.id}/attachments`, ...multipart([{ filename: 'doc.txt', type: 'text/plain', content: Buffer.from('oi') }]) });
    expect(upload.statusCode, upload.body).toBe(201);
    await ok(p, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'ana' });
    await ok(p, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' });
    const delivery = await eventually(async () => (await ok(p, 'GET', `/v1/webhooks/${hook.id}/deliveries`, undefined, 'admin')).items[0], 'the chat.closed delivery');
    await ok(p, 'GET', `/v1/webhooks/deliveries/${delivery.id}?agentId=ana`, undefined, 'admin');

    const ret = await ok(p, 'POST', '/v1/returns', { clientEmail: lia.email, type: 'question', contactPerson: lia.name, validUntil: inDays(10), departmentId: 'support', subject: 'Retorno', description: 'Texto' });
    const mail = await eventually(async () => (await ok(p, 'GET', `/v1/admin/mail?returnId=${ret.id}`, undefined, 'admin')).items[0], 'the notice mail');
    await ok(p, 'GET', `/v1/admin/mail/${mail.id}?agentId=ana`, undefined, 'admin');
    const opened = await p.app.inject({ method: 'POST', url: `/v1/portal/returns/${ret.id}/chat`, headers: { 'x-portal-token': ret.portalToken } });
    expect(opened.statusCode, opened.body).toBe(201);
    const portalChat = await p.app.inject({ method: 'GET', url: `/v1/portal/returns/${ret.id}/chat`, headers: { 'x-portal-token': ret.portalToken } });
    expect(portalChat.statusCode, portalChat.body).toBe(200);

    const exported = await ok(p, 'GET', `/v1/admin/data-subjects/export?email=${lia.email}`, undefined, 'admin');
    const file = exported.items.attachments[0];
    const download = await p.app.inject({ method: 'GET', url: file.href, headers: auth('admin') });
    expect(download.statusCode).toBe(200);

    const { items } = await log(`subject=${lia.email}&limit=20`);
    const actions = items.map((i) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['chat.events', 'webhook_delivery.read', 'mail.read', 'return.portal_chat', 'chat.attachment', 'data_subject.export']));
    expect(items.find((i) => i.action === 'chat.events')).toMatchObject({ keyName: 'helpdesk', agentId: 'ana', targetId: chat.id });
    expect(items.find((i) => i.action === 'webhook_delivery.read')).toMatchObject({ keyName: 'admin', agentId: 'ana', targetType: 'delivery', targetId: delivery.id });
    expect(items.find((i) => i.action === 'mail.read')).toMatchObject({ agentId: 'ana', targetType: 'mail', targetId: mail.id });
    expect(items.find((i) => i.action === 'return.portal_chat')).toMatchObject({ keyName: 'portal', targetId: ret.id });
  });

  it('every logged read of an API key takes and documents the acting agent', async () => {
    const spec = (await p.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const reads = Object.keys(LOGGED_READS).map((r) => r.slice(4)).filter((url) => !url.startsWith('/v1/portal/'));
    for (const url of reads) {
      const params = spec.paths[url.replace(/:(\w+)/g, '{$1}')].get.parameters as Array<{ in: string; name: string }>;
      expect(params.filter((q) => q.in === 'query').map((q) => q.name), url).toContain('agentId');
    }
  });
});
