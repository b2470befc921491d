// The chat's moves and who may make them: illegal moves are 409 naming the current state,
// transfers go only to online agents and are answered by the receiver, closing by invitation.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, freshDatabase, startPonte, uniqueName, type Ponte } from '../support/ponte.js';
import { activeChat, call, helpdesk, multipart, ok, seedTeam, startChat } from './fixtures.js';
import { insertSubscription } from '../../src/webhooks/store.js';

describe('chat moves', () => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte('postgres', { env: { CLOSE_INVITE_TIMEOUT_MS: '1500' } });
    await seedTeam(ponte.app);
    await ok(ponte.app, 'PUT', '/v1/agents/dora', { name: 'Dora', departmentIds: ['support'], online: false, spellcheck: false });
  });
  afterAll(async () => ponte?.close());

  const expectIllegal = (r: { status: number; body: any }, state: string) => {
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ILLEGAL_CHAT_MOVE');
    expect(r.body.error.message).toContain(`the chat is ${state}`);
  };

  it('refuses illegal moves with 409 naming the current state', async () => {
    const { app } = ponte;
    const queued = await startChat(app);
    expectIllegal(await call(app, 'POST', `/v1/chats/${queued.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' }), 'queued');
    expectIllegal(await call(app, 'POST', `/v1/chats/${queued.id}/close`, { agentId: 'ana' }), 'queued');
    expectIllegal(await call(app, 'POST', `/v1/chats/${queued.id}/rating`, { score: 5 }), 'queued');
    await ok(app, 'POST', `/v1/chats/${queued.id}/accept`, { agentId: 'ana' });
    expectIllegal(await call(app, 'POST', `/v1/chats/${queued.id}/accept`, { agentId: 'bruno' }), 'active');
    expectIllegal(await call(app, 'POST', `/v1/chats/${queued.id}/transfer/accept`, { agentId: 'bruno' }), 'active');
    expectIllegal(await call(app, 'POST', `/v1/chats/${queued.id}/close-invite/answer`, { accept: true }), 'active');
    await ok(app, 'POST', `/v1/chats/${queued.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
    expectIllegal(await call(app, 'POST', `/v1/chats/${queued.id}/transfer-back`, { agentId: 'ana' }), 'transfer_pending');
    expectIllegal(await call(app, 'POST', `/v1/chats/${queued.id}/transfer`, { agentId: 'ana', toAgentId: 'carla' }), 'transfer_pending');
    expect((await call(app, 'POST', '/v1/chats/00000000-0000-0000-0000-000000000000/accept', { agentId: 'ana' })).status).toBe(404);
  });

  it('transfers only to an existing, online, other agent, answered only by the receiver', async () => {
    const { app } = ponte;
    const chat = await activeChat(app, 'ana');
    const offline = await call(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'dora' });
    expect([offline.status, offline.body.error.code]).toEqual([409, 'AGENT_OFFLINE']);
    const unknown = await call(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'nobody' });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.details[0].path]).toEqual([400, 'UNKNOWN_AGENT', 'toAgentId']);
    const self = await call(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'ana' });
    expect([self.status, self.body.error.code]).toEqual([400, 'TRANSFER_TO_SELF']);
    const notHers = await call(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'bruno', toAgentId: 'carla' });
    expect([notHers.status, notHers.body.error.code]).toEqual([403, 'NOT_CHAT_AGENT']);

    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
    const wrongReceiver = await call(app, 'POST', `/v1/chats/${chat.id}/transfer/accept`, { agentId: 'carla' });
    expect([wrongReceiver.status, wrongReceiver.body.error.code]).toEqual([403, 'NOT_TRANSFER_TARGET']);
    const outsider = await call(app, 'POST', `/v1/chats/${chat.id}/notes`, { agentId: 'carla', text: 'posso ajudar?' });
    expect([outsider.status, outsider.body.error.code]).toEqual([403, 'NOT_CHAT_AGENT']);
    const early = await call(app, 'POST', `/v1/chats/${chat.id}/notes`, { agentId: 'bruno', text: 'já vou' });
    expect([early.status, early.body.error.code]).toEqual([403, 'TRANSFER_NOT_ACCEPTED']);
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/decline`, { agentId: 'bruno' })).toMatchObject({ status: 'active', agentId: 'ana', transferToAgentId: null });
    const noLast = await call(app, 'POST', `/v1/chats/${chat.id}/transfer-back`, { agentId: 'ana' });
    expect([noLast.status, noLast.body.error.code]).toEqual([409, 'NO_LAST_OPERATOR']);
  });

  it('lets agents take chats only from their departments\' queues', async () => {
    const chat = await startChat(ponte.app);
    const r = await call(ponte.app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'carla' });
    expect([r.status, r.body.error.code]).toEqual([403, 'AGENT_NOT_IN_DEPARTMENT']);
    const unknownDept = await call(ponte.app, 'POST', '/v1/chats', { client: { name: 'X', email: 'x@example.com' }, departmentId: 'nowhere' });
    expect([unknownDept.status, unknownDept.body.error.code]).toEqual([400, 'UNKNOWN_DEPARTMENT']);
  });

  it('closes when the client accepts the invitation, and rates the closed chat', async () => {
    const { app } = ponte;
    const chat = await activeChat(app, 'ana');
    await ok(app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' });
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/close-invite/answer`, { accept: true })).toMatchObject({ status: 'closed' });
    expectIllegal(await call(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'client', text: 'oi?' }), 'closed');
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/rating`, { score: 4 })).toMatchObject({ rating: 4 });
    expect((await call(app, 'POST', `/v1/chats/${chat.id}/rating`, { score: 6 })).status).toBe(400);
  });

  it('continues when the client declines, and the old invitation\'s timer then changes nothing', async () => {
    const { app, deps } = ponte;
    const chat = await activeChat(app, 'ana');
    await ok(app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' });
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/close-invite/answer`, { accept: false })).toMatchObject({ status: 'active', closeInvite: null });
    const job = await eventually(async () => {
      const j = await deps.jobs.queue('timers').getJob(`close-invite:${chat.id}:1`);
      return j?.finishedOn ? j : undefined;
    }, 'the first invitation timer to run');
    expect(job.returnvalue).toBe('stale');
    expect((await ok(app, 'GET', `/v1/chats/${chat.id}`)).status).toBe('active');

    // A second invitation has its own timer, which closes the chat.
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' })).toMatchObject({ status: 'closing', closeInvite: { number: 2 } });
    await eventually(async () => (await ok(app, 'GET', `/v1/chats/${chat.id}`)).status === 'closed', 'the second invitation to time out');
  });
});

describe('a client still writing during the close invitation', () => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte('postgres', { env: { CLOSE_INVITE_TIMEOUT_MS: '1500' } });
    await seedTeam(ponte.app);
  });
  afterAll(async () => ponte?.close());

  it('cancels the automatic close; the chat shows when the invitation expires', async () => {
    const { app, deps } = ponte;
    const chat = await activeChat(app, 'ana');
    const invited = await ok(app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' });
    expect(Date.parse(invited.closeInvite.expiresAt) - Date.parse(invited.closeInvite.sentAt)).toBe(1500);
    expect((await ok(app, 'GET', `/v1/chats/${chat.id}`)).closeInvite.expiresAt).toBe(invited.closeInvite.expiresAt);
    await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'client', text: 'Espere, tenho mais uma dúvida.' });
    expect(await ok(app, 'GET', `/v1/chats/${chat.id}`)).toMatchObject({ status: 'active', closeInvite: null });
    const job = await eventually(async () => {
      const j = await deps.jobs.queue('timers').getJob(`close-invite:${chat.id}:1`);
      return j?.finishedOn ? j : undefined;
    }, 'the invitation timer to run');
    expect(job.returnvalue).toBe('stale');
    expect((await ok(app, 'GET', `/v1/chats/${chat.id}`)).status).toBe('active');
    const last = (await ok(app, 'GET', `/v1/chats/${chat.id}/messages`)).items.at(-1);
    expect(last).toMatchObject({ from: 'system', text: 'O cliente continuou a conversa: o encerramento automático foi cancelado.' });
  });
});

describe('close-invite timer across a restart', () => {
  it('closes the chat when the timer fires in a process started after the invitation', async () => {
    const databaseUrl = await freshDatabase();
    const namespace = `${uniqueName('q')}-`;
    const env = { CLOSE_INVITE_TIMEOUT_MS: '500' };
    const first = await startPonte('postgres', { databaseUrl, namespace, env, workers: false });
    let chatId: string;
    try {
      await seedTeam(first.app);
      chatId = (await activeChat(first.app, 'ana')).id;
      await ok(first.app, 'POST', `/v1/chats/${chatId}/close`, { agentId: 'ana' });
    } finally {
      await first.close();
    }
    const second = await startPonte('postgres', { databaseUrl, namespace, env });
    try {
      await eventually(async () => (await ok(second.app, 'GET', `/v1/chats/${chatId}`)).status === 'closed', 'the timer to close the chat after the restart');
    } finally {
      await second.close();
    }
  }, 90_000);
});

describe('direct close (AGENTS_CAN_CLOSE=true)', () => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte('postgres', { env: { AGENTS_CAN_CLOSE: 'true' } });
    await seedTeam(ponte.app);
    // Someone listens for chat.closed, so the close is queued for fan-out (read below from the outbox).
    await insertSubscription(ponte.deps.db, { url: 'https://hooks.example.com/ponte', events: ['chat.closed'], secret: 'whsec_test', createdBy: 'test' });
  });
  afterAll(async () => ponte?.close());

  it('closes at once, emits chat.closed and opens the integration form', async () => {
    const { app, deps } = ponte;
    const chat = await activeChat(app, 'ana');
    const notHers = await call(app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'bruno' });
    expect([notHers.status, notHers.body.error.code]).toEqual([403, 'NOT_CHAT_AGENT']);
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' })).toMatchObject({ status: 'closed', agentId: 'ana' });
    const { rows } = await deps.db.query("SELECT payload FROM outbox WHERE queue = 'webhooks' AND payload->'event'->>'type' = 'chat.closed' AND payload->'event'->'data'->>'chatId' = $1", [chat.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload.event.data).toMatchObject({ reason: 'agent', agentId: 'ana' });
    expect((await ok(app, 'GET', `/v1/chats/${chat.id}/integration-form`)).available).toBe(true);
    const timers = await deps.db.query("SELECT 1 FROM outbox WHERE queue = 'timers' AND job_id LIKE $1", [`close-invite:${chat.id}:%`]);
    expect(timers.rows).toHaveLength(0);
  });

  it('exports the transcript as JSON or text (Accept), without notes, and takes no files once closed', async () => {
    const { app } = ponte;
    const chat = await activeChat(app, 'ana');
    await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'client', text: 'Obrigado!' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/notes`, { agentId: 'ana', text: 'nota interna' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' });
    const json = await ok(app, 'GET', `/v1/chats/${chat.id}/transcript`);
    expect(json.messages.map((m: { text: string }) => m.text)).toEqual(['Ana iniciou o atendimento.', 'Obrigado!', 'Atendimento encerrado pelo agente.']);
    expect(json.text).toMatch(/^\[\d\d\/\d\d\/\d{4} \d\d:\d\d\] Sistema: Ana iniciou o atendimento\.\n\[.+\] João Cliente: Obrigado!/);
    const text = await app.inject({ method: 'GET', url: `/v1/chats/${chat.id}/transcript`, headers: { ...helpdesk, accept: 'text/plain' } });
    expect(text.headers['content-type']).toContain('text/plain');
    expect(text.body).toBe(json.text);
    const upload = await app.inject({ method: 'POST', url: `/v1/chats/${chat.id}/attachments`, ...multipart([{ filename: 'a.txt', content: Buffer.from('a') }]) });
    expect([upload.statusCode, upload.json().error.code]).toEqual([409, 'ILLEGAL_CHAT_MOVE']);
  });
});

describe('agents and departments', () => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte('postgres');
    await seedTeam(ponte.app);
  });
  afterAll(async () => ponte?.close());

  it('lists agents by online flag and department, and validates their departments and profile', async () => {
    const { app } = ponte;
    const noProfile = await call(app, 'PUT', '/v1/agents/bruno', { name: 'Bruno', departmentIds: ['support'], profileId: 'n1' });
    expect([noProfile.status, noProfile.body.error.code, noProfile.body.error.details[0].path]).toEqual([400, 'UNKNOWN_PROFILE', 'profileId']);
    await ok(app, 'PUT', '/v1/profiles/n1', { name: 'Nível 1', permissions: ['view_client_data'] });
    await ok(app, 'PUT', '/v1/agents/bruno', { name: 'Bruno', departmentIds: ['support', 'sales'], online: false, spellcheck: true, profileId: 'n1' });
    const online = await ok(app, 'GET', '/v1/agents?online=true&departmentId=support');
    expect(online.items.map((a: { id: string }) => a.id)).toEqual(['ana']);
    const sales = await ok(app, 'GET', '/v1/agents?departmentId=sales');
    expect(sales.items.map((a: { id: string }) => a.id).sort()).toEqual(['bruno', 'carla']);
    expect(await ok(app, 'GET', '/v1/agents/bruno')).toMatchObject({ online: false, spellcheck: true, profileId: 'n1', departmentIds: ['support', 'sales'] });
    const bad = await call(app, 'PUT', '/v1/agents/eva', { name: 'Eva', departmentIds: ['support', 'ghosts'] });
    expect([bad.status, bad.body.error.code, bad.body.error.details[0].path]).toEqual([400, 'UNKNOWN_DEPARTMENT', 'departmentIds.1']);
    expect((await call(app, 'GET', '/v1/agents/eva')).status).toBe(404);
  });

  it('lets only admins keep departments and agents; the helpdesk sets presence', async () => {
    const res = await ponte.app.inject({ method: 'PUT', url: '/v1/departments/x', headers: helpdesk, payload: { name: 'X' } });
    expect(res.statusCode).toBe(403);
    const promote = await ponte.app.inject({ method: 'PUT', url: '/v1/agents/carla', headers: helpdesk, payload: { name: 'Carla', departmentIds: ['support', 'sales'], profileId: null } });
    expect(promote.statusCode).toBe(403);
    expect((await ok(ponte.app, 'GET', '/v1/agents/carla')).departmentIds).toEqual(['sales']);
    expect(await ok(ponte.app, 'PUT', '/v1/agents/carla/presence', { online: false }, helpdesk)).toMatchObject({ id: 'carla', online: false, departmentIds: ['sales'] });
    expect((await call(ponte.app, 'PUT', '/v1/agents/nobody/presence', { online: true }, helpdesk)).status).toBe(404);
    expect(await ok(ponte.app, 'GET', '/v1/departments/support')).toMatchObject({ name: 'Suporte', systems: ['Bimer ERP', 'Bimer CRM'] });
  });
});
