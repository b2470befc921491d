// view_client_data wherever client data or a portal link is returned: a key whose profile
// lacks it sees chats, their details, transcript and integration form without the client's
// identity (in answers and live streams), third parties without names and e-mails, and cannot
// preview, rotate or resend.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { eventually, startPonte, type Ponte } from '../support/ponte.js';
import { openStream } from '../support/sse.js';
import { admin, ALL_PERMISSIONS, API_KEYS_WITH_PROFILES, PROFILE_KEYS, call, createReturn, keyOf, ok, putProfile } from '../casework/fixtures.js';
import { seedTeam, startChat } from '../chats/fixtures.js';

const CLIENT = { name: 'Joana Cliente', email: 'joana@padaria.example', phone: '+55 11 4000-1234', clientCode: '12', taxId: '11.222.333/0001-81', companyName: 'Padaria Pão Quente Ltda' };
const identities = [CLIENT.name, CLIENT.email, CLIENT.phone, CLIENT.taxId, CLIENT.companyName];

describe('view_client_data', () => {
  let ponte: Ponte;
  let app: FastifyInstance;
  beforeAll(async () => {
    ponte = await startPonte('postgres', { workers: false, env: { PONTE_API_KEYS: API_KEYS_WITH_PROFILES } });
    app = ponte.app;
    await seedTeam(app);
    await putProfile(app, 'clerk', ALL_PERMISSIONS.filter((p) => p !== 'view_client_data'));
    await putProfile(app, 'senior', ALL_PERMISSIONS);
  }, 120_000);
  afterAll(async () => ponte?.close());

  const leaks = (raw: string) => identities.filter((s) => raw.includes(s));

  it('hides the client in chat views, lists, messages, details, transcript and the integration form', async () => {
    const chat = await startChat(app, CLIENT);
    await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'client', text: 'Olá, preciso de ajuda', authorName: CLIENT.name });
    const urls = [`/v1/chats/${chat.id}`, '/v1/chats?status=queued', `/v1/chats/${chat.id}/messages`, `/v1/chats/${chat.id}/details`, `/v1/chats/${chat.id}/transcript`, `/v1/chats/${chat.id}/transcript?format=text`, `/v1/chats/${chat.id}/integration-form`];
    for (const url of urls) {
      const full = await call(app, 'GET', url, undefined, keyOf('senior'));
      const limited = await call(app, 'GET', url, undefined, keyOf('clerk'));
      expect(limited.status, url).toBe(full.status);
      if (full.status !== 200) continue;
      expect(leaks(limited.raw), url).toEqual([]);
      if (!url.endsWith('format=text') && !url.includes('messages') && !url.includes('transcript')) expect(leaks(full.raw).length, url).toBeGreaterThan(0);
    }
    expect((await call(app, 'GET', `/v1/chats/${chat.id}`, undefined, keyOf('clerk'))).body).toMatchObject({ client: { name: '[oculto]', email: '[oculto]' }, clientDataHidden: true });
    // An answer to a write is a view too.
    const accepted = await call(app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'ana' }, keyOf('clerk'));
    expect(accepted.status, accepted.raw).toBeLessThan(300);
    expect(leaks(accepted.raw)).toEqual([]);
  });

  it("hides the client in the chat's live stream and the agent's feed", async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const chat = await startChat(app, CLIENT);
    const streams = {
      chatFull: openStream(port, `/v1/chats/${chat.id}/events`, PROFILE_KEYS.senior),
      chatLimited: openStream(port, `/v1/chats/${chat.id}/events`, PROFILE_KEYS.clerk),
      feedLimited: openStream(port, '/v1/agents/ana/events', PROFILE_KEYS.clerk),
    };
    try {
      await eventually(async () => Object.values(streams).every((s) => s.opened()), 'the streams to open');
      await ok(app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'ana' });
      await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'client', text: `Sou ${CLIENT.name}, ${CLIENT.email}`, authorName: CLIENT.name });
      for (const s of [streams.chatFull, streams.chatLimited]) await eventually(async () => s.events.some((e) => e.data.message?.from === 'client'), 'the client message');
      await eventually(async () => streams.feedLimited.events.length > 0, "the agent's feed");
      expect(leaks(JSON.stringify(streams.chatFull.events)).length).toBeGreaterThan(0);
      expect(leaks(JSON.stringify(streams.chatLimited.events))).toEqual([]);
      expect(leaks(JSON.stringify(streams.feedLimited.events))).toEqual([]);
      expect(streams.chatLimited.events.find((e) => e.data.message?.from === 'client')!.data.message.authorName).toBe('[oculto]');
    } finally {
      for (const s of Object.values(streams)) s.close();
    }
  });

  it('needs the permission to preview, rotate the portal token or resend, and hides third parties without it', async () => {
    const r = await createReturn(app, 'question', { contactPerson: 'João Silva' });
    for (const [method, suffix] of [['GET', '/preview'], ['POST', '/portal-token/rotate'], ['POST', '/resend']] as const) {
      const denied = await call(app, method, `/v1/returns/${r.id}${suffix}`, undefined, keyOf('clerk'));
      expect(denied.status, suffix).toBe(403);
      expect(denied.body.error.details).toEqual([expect.objectContaining({ permission: 'view_client_data' })]);
      expect((await call(app, method, `/v1/returns/${r.id}${suffix}`, undefined, keyOf('senior'))).status, suffix).toBeLessThan(300);
    }
    await ok(app, 'POST', `/v1/returns/${r.id}/third-parties`, { email: 'contador@escritorio.example', name: 'Carlos Contador' }, admin);
    const hidden = await call(app, 'GET', `/v1/returns/${r.id}/third-parties`, undefined, keyOf('clerk'));
    expect(hidden.status).toBe(200);
    expect(hidden.raw).not.toContain('contador@escritorio.example');
    expect(hidden.raw).not.toContain('Carlos Contador');
    expect((await call(app, 'GET', `/v1/returns/${r.id}/third-parties`, undefined, keyOf('senior'))).raw).toContain('contador@escritorio.example');
  });

  it('hands out no portal link without it: create, clone, close and reopen answers are redacted', async () => {
    const created = await call(app, 'POST', '/v1/returns', { clientEmail: 'joana@padaria.example', type: 'notice', validUntil: '2031-01-01T00:00:00Z', departmentId: 'support', subject: 'Aviso', description: 'Texto' }, keyOf('clerk'));
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('portalToken');
    expect(created.body).not.toHaveProperty('portalUrl');
    expect(created.raw).not.toContain('joana@padaria.example');
    const clone = await call(app, 'POST', `/v1/returns/${created.body.id}/clone`, { confirm: true }, keyOf('clerk'));
    expect(clone.status).toBe(201);
    expect(clone.body).not.toHaveProperty('portalToken');
    const closed = await call(app, 'POST', `/v1/returns/${created.body.id}/close`, undefined, keyOf('clerk'));
    expect(closed.status).toBe(200);
    expect(closed.raw).not.toContain('joana@padaria.example');
  });
});

describe('roles for keys', () => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte('postgres', { workers: false, relay: false });
  }, 120_000);
  afterAll(async () => ponte?.close());

  it('a metrics key reads /metrics and nothing else', async () => {
    const created = await call(ponte.app, 'POST', '/v1/admin/keys', { name: 'prometheus', roles: ['metrics'] }, admin);
    expect(created.status).toBe(201);
    const metrics = { authorization: `Bearer ${created.body.secret}` };
    const scrape = await ponte.app.inject({ url: '/metrics', headers: metrics });
    expect(scrape.statusCode).toBe(200);
    expect(scrape.body).toContain('ponte_');
    for (const url of ['/v1/admin/integrations', '/v1/chats', '/v1/admin/keys', '/v1/returns']) {
      expect((await ponte.app.inject({ url, headers: metrics })).statusCode, url).toBe(403);
    }
    expect((await ponte.app.inject({ url: '/admin/queues', headers: metrics })).statusCode).toBe(403);
  });

  it('admins list keys (never a secret) and revoke them by name, audited', async () => {
    const secrets: string[] = [];
    for (const name of ['k-alpha', 'k-beta', 'k-gamma']) secrets.push((await ok(ponte.app, 'POST', '/v1/admin/keys', { name, roles: ['helpdesk'] }, admin)).secret);
    const first = await call(ponte.app, 'GET', '/v1/admin/keys?limit=2', undefined, admin);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await ok(ponte.app, 'GET', `/v1/admin/keys?limit=500&cursor=${first.body.nextCursor}`, undefined, admin);
    const all = [...first.body.items, ...rest.items];
    expect(rest.nextCursor).toBeNull();
    expect(all.map((k: { name: string }) => k.name)).toEqual([...all.map((k: { name: string }) => k.name)].sort());
    expect(all.find((k: { name: string }) => k.name === 'admin')).toMatchObject({ roles: ['admin', 'helpdesk'], seeded: true, revokedAt: null });
    expect(all.find((k: { name: string }) => k.name === 'k-beta')).toMatchObject({ seeded: false });
    expect(JSON.stringify(all)).not.toMatch(/pk_|hash|secret/);
    for (const s of secrets) expect(JSON.stringify(all)).not.toContain(s);

    const beta = { authorization: `Bearer ${secrets[1]}` };
    expect((await ponte.app.inject({ url: '/v1/returns', headers: beta })).statusCode).toBe(200);
    expect((await ponte.app.inject({ method: 'DELETE', url: '/v1/admin/keys/k-beta', headers: admin })).statusCode).toBe(204);
    expect((await ponte.app.inject({ url: '/v1/returns', headers: beta })).statusCode).toBe(401);
    const again = await ponte.app.inject({ method: 'DELETE', url: '/v1/admin/keys/k-beta', headers: admin });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('NOT_FOUND');
    expect((await ok(ponte.app, 'GET', '/v1/admin/keys', undefined, admin)).items.find((k: { name: string }) => k.name === 'k-beta').revokedAt).toEqual(expect.any(String));
    const audit = (await ok(ponte.app, 'GET', '/v1/admin/audit?action=key.revoked', undefined, admin)).items;
    expect(audit).toEqual([expect.objectContaining({ actor: 'admin', changes: { name: 'k-beta', seeded: false } })]);
    expect((await call(ponte.app, 'GET', '/v1/admin/keys?cursor=bm9wZQ', undefined, admin)).status).toBe(400);
  });
});
