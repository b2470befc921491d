import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { startPonte, auth, tempDir, type Ponte } from '../support/ponte.js';
import { HELPDESKS_DIR, loadDescriptors } from '../../src/helpdesks/descriptor.js';
import { DraftMapper } from '../../src/helpdesks/draft.js';
import { loadConfig } from '../../src/config.js';
import { conversationMessages, statusChanged, signChatwoot } from './chatwoot-fixtures.js';
import { chatMessages, postInbound } from './support.js';

// A helpdesk ponte has never heard of, described by files only: HMAC-SHA512 over
// "<timestamp>.<body>" in X-Acme-Signature as v1=<hex>, its delivery id in X-Acme-Delivery.
const ACME = {
  name: 'acme',
  label: 'Acme Desk',
  settingsPrefix: 'ACME',
  signature: { algorithm: 'sha512', header: 'x-acme-signature', prefix: 'v1=', signed: '{timestamp}.{body}', timestampHeader: 'x-acme-timestamp', toleranceSeconds: 120 },
  deliveryHeader: 'x-acme-delivery',
};
const ACME_MAPPING = `
  payload.type = 'ticket.solved' ? {
    'ends': true,
    'conversation': { 'id': $string(payload.ticket.id) },
    'messagesComplete': true,
    'session': {
      'externalId': 'acme:' & payload.ticket.id,
      'client': { 'name': payload.ticket.requester.name, 'email': payload.ticket.requester.email },
      'agent': { 'id': 'acme:' & payload.ticket.agent.id, 'name': payload.ticket.agent.name },
      'departmentId': $lookup(settings.departments, payload.ticket.queue) ?: 'acme',
      'startedAt': payload.ticket.opened, 'closedAt': payload.ticket.solved,
      'messages': [payload.ticket.comments.{ 'at': at, 'from': author = 'requester' ? 'client' : 'agent', 'text': body, 'private': internal = true }]
    },
    'integration': $merge([settings.integrationDefaults, { 'subject': payload.ticket.title }]),
    'sources': { 'client': 'ticket.requester', 'client.email': 'ticket.requester.email', 'startedAt': 'ticket.opened' }
  } : { 'ends': false, 'reason': payload.type & ' is not ticket.solved' }
`;

function acmeTicket(id: number, email = 'maria@silva.com.br') {
  return {
    type: 'ticket.solved',
    ticket: {
      id, title: 'Boleto em duplicidade', queue: 'financeiro', opened: '2026-11-20T13:00:00Z', solved: '2026-11-20T13:20:00Z',
      requester: { name: 'Maria da Silva', email }, agent: { id: 9, name: 'Bruno Lima' },
      comments: [
        { at: '2026-11-20T13:00:00Z', author: 'requester', body: 'Recebi dois boletos.' },
        { at: '2026-11-20T13:05:00Z', author: 'agent', body: 'Conferir no financeiro.', internal: true },
        { at: '2026-11-20T13:10:00Z', author: 'agent', body: 'Cancelamos o segundo boleto.' },
      ],
    },
  };
}

function signAcme(body: string, secret: string, timestamp: number) {
  const sig = createHmac('sha512', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'content-type': 'application/json', 'x-acme-signature': `v1=${sig}`, 'x-acme-timestamp': String(timestamp), 'x-acme-delivery': `acme-${timestamp}-${body.length}` };
}

describe('helpdesk adapters are files', () => {
  let p: Ponte;
  const dir = tempDir('ponte-helpdesks-');
  const now = () => Math.floor(p.deps.clock.now().getTime() / 1000);

  beforeAll(async () => {
    writeFileSync(path.join(dir.dir, 'acme.json'), JSON.stringify(ACME));
    writeFileSync(path.join(dir.dir, 'acme.jsonata'), ACME_MAPPING);
    for (const file of ['chatwoot.json', 'chatwoot.jsonata', 'zammad.json', 'zammad.jsonata']) copyFileSync(path.join(HELPDESKS_DIR, file), path.join(dir.dir, file));
    p = await startPonte('postgres', {
      helpdesksDir: dir.dir,
      env: {
        ACME_WEBHOOK_SECRET: 'acme-shared-secret-1',
        ACME_DEPARTMENTS: 'financeiro=cobranca',
        // Chatwoot without its API: the payload's messages are all there is.
        CHATWOOT_WEBHOOK_SECRET: 'chatwoot-secret-no-api',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await p.close();
    dir.remove();
  });

  it('a third helpdesk is a descriptor, a mapping and its settings: its route, signature and mapping work', async () => {
    const raw = JSON.stringify(acmeTicket(501));
    const res = await postInbound(p, 'acme' as 'chatwoot', raw, signAcme(raw, 'acme-shared-secret-1', now()));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'created', helpdesk: 'acme', externalId: 'acme:501', integrations: [], integrationProblems: expect.arrayContaining([{ path: 'clientCode', message: 'is required' }]) });
    const chat = (await p.app.inject({ method: 'GET', url: `/v1/chats/${res.json().chatId}`, headers: auth('helpdesk') })).json();
    expect(chat).toMatchObject({ status: 'closed', departmentId: 'cobranca', agentId: 'acme:9' });
    const lines = await chatMessages(p, res.json().chatId);
    expect(lines.map((l) => [l.from, l.private])).toEqual([['client', false], ['agent', true], ['agent', false]]);

    const wrong = await postInbound(p, 'acme' as 'chatwoot', raw, signAcme(raw, 'another-secret', now()));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.details[0]).toMatchObject({ path: 'x-acme-signature', check: 'signature' });
    const stale = await postInbound(p, 'acme' as 'chatwoot', raw, signAcme(raw, 'acme-shared-secret-1', now() - 121));
    expect(stale.json().error.details[0].check).toBe('timestamp');
    const bad = JSON.stringify(acmeTicket(502, 'maria-at-silva'));
    const refused = await postInbound(p, 'acme' as 'chatwoot', bad, signAcme(bad, 'acme-shared-secret-1', now()));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0]).toMatchObject({ path: 'ticket.requester.email', field: 'client.email' });
  });

  it('without the helpdesk API the chat keeps the payload\'s messages and a private line saying why', async () => {
    const raw = JSON.stringify(statusChanged({ id: 7001 }));
    const res = await postInbound(p, 'chatwoot', raw, signChatwoot('chatwoot-secret-no-api', raw, now()));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'created', transcriptComplete: false, integrations: [{ status: 'pending' }] });
    const lines = await chatMessages(p, res.json().chatId);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ from: 'system', private: true, text: expect.stringContaining('CHATWOOT_URL e CHATWOOT_API_TOKEN não estão configurados') });
  });

  it('a helpdesk with no secret configured answers 503 naming the setting', async () => {
    const res = await postInbound(p, 'zammad', '{}', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({ code: 'HELPDESK_DISABLED' });
    expect(res.json().error.message).toContain('ZAMMAD_WEBHOOK_SECRET');
  });

  it('the OpenAPI document declares each route, its body and every answer, without an API key', async () => {
    const doc = (await p.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const name of ['chatwoot', 'zammad', 'acme']) {
      const op = doc.paths[`/v1/inbound/${name}`].post;
      expect(op.security).toEqual([]);
      expect(Object.keys(op.responses).sort()).toEqual(['200', '202', '400', '401', '409', '413', '415', '429', '500', '503']);
      expect(op.requestBody.content['application/json'].schema).toBeDefined();
    }
    expect(JSON.stringify(doc.paths['/v1/inbound/chatwoot'].post.requestBody)).toContain('ChatwootWebhook');
    expect(doc.paths['/v1/inbound/chatwoot'].post.parameters.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['x-chatwoot-signature', 'x-chatwoot-timestamp', 'x-chatwoot-delivery']));
    expect(doc.paths['/v1/admin/helpdesk-notes'].get.responses['200']).toBeDefined();
  });
});

describe('helpdesk descriptors are checked at start', () => {
  it('a descriptor that does not fit the schema stops the start, naming the file', async () => {
    const dir = tempDir('ponte-helpdesks-bad-');
    try {
      writeFileSync(path.join(dir.dir, 'acme.json'), JSON.stringify({ ...ACME, signature: { ...ACME.signature, algorithm: 'md5' } }));
      writeFileSync(path.join(dir.dir, 'acme.jsonata'), ACME_MAPPING);
      await expect(loadDescriptors(dir.dir)).rejects.toThrow(/mappings\/helpdesks\/acme\.json is invalid.*algorithm/);
      writeFileSync(path.join(dir.dir, 'acme.json'), JSON.stringify(ACME));
      writeFileSync(path.join(dir.dir, 'acme.jsonata'), '{ "ends": ');
      await expect(loadDescriptors(dir.dir)).rejects.toThrow(/acme\.jsonata does not parse/);
    } finally {
      dir.remove();
    }
  });

  it('a long message list is mapped in passes, every line kept, in time order', async () => {
    const [chatwoot] = await loadDescriptors();
    const mapper = await DraftMapper.create();
    const newestFirst = conversationMessages(77, 2500).reverse();
    const draft = await mapper.map(chatwoot!, { payload: statusChanged({ id: 77 }), messages: newestFirst, settings: loadConfig({}).chatwoot });
    const lines = draft.session!.messages;
    expect(lines).toHaveLength(2500);
    expect(lines[0]!.text).toBe('Cliente 1: a NF-e foi rejeitada.');
    expect(lines.every((l, i) => i === 0 || lines[i - 1]!.at <= l.at)).toBe(true);
  });

  it('the built-in descriptors load', async () => {
    expect((await loadDescriptors()).map((d) => d.name)).toEqual(['chatwoot', 'zammad']);
  });
});
