// Transfers as seed 001 tells them, seen from both agents: the receiver finds the incoming
// transfer in its list and its live feed, accepts (the exchange of private notes opens) and
// completes it; the sender cancels another; a third, unanswered, returns to the sender.
// Only online agents take chats; queues and accepts from a queue respect departments.

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, eventually, startPonte, type Ponte } from '../support/ponte.js';
import { openStream, type Stream } from '../support/sse.js';
import { activeChat, call, helpdesk, ok, seedTeam, startChat } from './fixtures.js';

describe('transfers between agents', () => {
  let ponte: Ponte;
  let port: number;
  let brunoFeed: Stream;
  let anaFeed: Stream;
  beforeAll(async () => {
    ponte = await startPonte('postgres', { env: { TRANSFER_TIMEOUT_MS: '800', CLOSE_INVITE_TIMEOUT_MS: '60000' } });
    await seedTeam(ponte.app);
    await ponte.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ponte.app.server.address() as AddressInfo).port;
    brunoFeed = openStream(port, '/v1/agents/bruno/events', KEYS.helpdesk);
    anaFeed = openStream(port, '/v1/agents/ana/events', KEYS.helpdesk);
    await eventually(async () => brunoFeed.opened() && anaFeed.opened(), 'the agents\' feeds to open');
  });
  afterAll(async () => {
    brunoFeed?.close();
    anaFeed?.close();
    await ponte?.close();
  });

  const feedEvent = (feed: Stream, chatId: string, type: string, action?: string) =>
    eventually(async () => feed.events.find((e) => e.event === type && e.data.chatId === chatId && (!action || e.data.action === action)), `${type} ${action ?? ''} on the feed`);

  it('the receiver sees the incoming transfer in its list and its feed, accepts, exchanges notes and completes it', async () => {
    const { app } = ponte;
    const chat = await activeChat(app, 'ana');
    const requested = await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
    expect(requested.transfer).toMatchObject({ fromAgentId: 'ana', toAgentId: 'bruno', acceptedAt: null });
    expect(Date.parse(requested.transfer.expiresAt)).toBeGreaterThan(Date.parse(requested.transfer.requestedAt));

    const incoming = await ok(app, 'GET', '/v1/chats?transferTo=bruno');
    expect(incoming.items.map((c: { id: string }) => c.id)).toContain(chat.id);
    expect((await ok(app, 'GET', '/v1/chats?transferTo=carla')).items.map((c: { id: string }) => c.id)).not.toContain(chat.id);
    const arrived = await feedEvent(brunoFeed, chat.id, 'transfer', 'requested');
    expect(arrived.data).toMatchObject({ agentId: 'bruno', fromAgentId: 'ana', toAgentId: 'bruno', client: { name: 'João Cliente' } });

    const early = await call(app, 'POST', `/v1/chats/${chat.id}/transfer/complete`, { agentId: 'bruno' });
    expect([early.status, early.body.error.code]).toEqual([409, 'TRANSFER_NOT_ACCEPTED']);
    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/accept`, { agentId: 'bruno' });
    await feedEvent(anaFeed, chat.id, 'transfer', 'accepted');
    await ok(app, 'POST', `/v1/chats/${chat.id}/notes`, { agentId: 'bruno', text: 'O que ele precisa?' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/notes`, { agentId: 'ana', text: 'Segunda via do boleto.' });
    // Accepted is not taken: Ana still talks to the client until Bruno completes ("Atender").
    await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'agent', agentId: 'ana', text: 'Um instante, vou passar para o Bruno.' });
    const taken = await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/complete`, { agentId: 'bruno' });
    expect(taken).toMatchObject({ status: 'active', agentId: 'bruno', transfer: null, transferBackToAgentId: 'ana' });
    await feedEvent(brunoFeed, chat.id, 'assigned');
    await feedEvent(anaFeed, chat.id, 'transfer', 'completed');
    expect((await ok(app, 'GET', '/v1/chats?transferTo=bruno')).items.map((c: { id: string }) => c.id)).not.toContain(chat.id);
  });

  it('the sender cancels a transfer, and the receiver is told', async () => {
    const { app } = ponte;
    const chat = await activeChat(app, 'ana');
    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
    const notSender = await call(app, 'POST', `/v1/chats/${chat.id}/transfer/cancel`, { agentId: 'bruno' });
    expect([notSender.status, notSender.body.error.code]).toEqual([403, 'NOT_CHAT_AGENT']);
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/cancel`, { agentId: 'ana' })).toMatchObject({ status: 'active', agentId: 'ana', transfer: null });
    await feedEvent(brunoFeed, chat.id, 'transfer', 'cancelled');
    const late = await call(app, 'POST', `/v1/chats/${chat.id}/transfer/accept`, { agentId: 'bruno' });
    expect([late.status, late.body.error.code]).toEqual([409, 'ILLEGAL_CHAT_MOVE']);
    expect((await ok(app, 'GET', '/v1/chats?transferTo=bruno')).items.map((c: { id: string }) => c.id)).not.toContain(chat.id);
  });

  it('an unanswered transfer returns to the sender after TRANSFER_TIMEOUT_MS', async () => {
    const { app } = ponte;
    const chat = await activeChat(app, 'ana');
    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
    const back = await eventually(async () => {
      const c = await ok(app, 'GET', `/v1/chats/${chat.id}`);
      return c.status === 'active' && c;
    }, 'the transfer to time out');
    expect(back).toMatchObject({ agentId: 'ana', transferToAgentId: null, transferBackToAgentId: null });
    await feedEvent(anaFeed, chat.id, 'transfer', 'expired');
    await feedEvent(brunoFeed, chat.id, 'transfer', 'expired');
    const messages = await ok(app, 'GET', `/v1/chats/${chat.id}/messages`);
    expect(messages.items.at(-1)).toMatchObject({ from: 'system', private: true, text: 'Bruno não aceitou a transferência a tempo; o atendimento continua com Ana.' });
    // An accepted transfer does not time out.
    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/accept`, { agentId: 'bruno' });
    const timer = await eventually(async () => {
      const j = await ponte.deps.jobs.queue('timers').getJob(`transfer:${chat.id}:2`);
      return j?.finishedOn ? j : undefined;
    }, 'the second transfer timer to run');
    expect(timer.returnvalue).toBe('stale');
    expect((await ok(app, 'GET', `/v1/chats/${chat.id}`)).status).toBe('transfer_pending');
  });

  it('only online agents take chats: from a queue and from a transfer', async () => {
    const { app } = ponte;
    await ok(app, 'PUT', '/v1/agents/bruno/presence', { online: false }, helpdesk);
    try {
      const queued = await startChat(app);
      const fromQueue = await call(app, 'POST', `/v1/chats/${queued.id}/accept`, { agentId: 'bruno' });
      expect([fromQueue.status, fromQueue.body.error.code]).toEqual([409, 'AGENT_OFFLINE']);
      const chat = await activeChat(app, 'ana');
      const toOffline = await call(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
      expect([toOffline.status, toOffline.body.error.code]).toEqual([409, 'AGENT_OFFLINE']);
      await ok(app, 'PUT', '/v1/agents/bruno/presence', { online: true }, helpdesk);
      await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
      await ok(app, 'PUT', '/v1/agents/bruno/presence', { online: false }, helpdesk);
      const accepted = await call(app, 'POST', `/v1/chats/${chat.id}/transfer/accept`, { agentId: 'bruno' });
      expect([accepted.status, accepted.body.error.code]).toEqual([409, 'AGENT_OFFLINE']);
    } finally {
      await ok(app, 'PUT', '/v1/agents/bruno/presence', { online: true }, helpdesk);
    }
  });

  it('a transfer may go to an online agent of another department; queue moves and accepts respect departments', async () => {
    const { app } = ponte;
    const waiting = await startChat(app);
    const take = await call(app, 'POST', `/v1/chats/${waiting.id}/accept`, { agentId: 'carla' });
    expect([take.status, take.body.error.code]).toEqual([403, 'AGENT_NOT_IN_DEPARTMENT']);
    const steal = await call(app, 'POST', `/v1/chats/${waiting.id}/queue`, { agentId: 'carla', departmentId: 'sales' });
    expect([steal.status, steal.body.error.code]).toEqual([403, 'AGENT_NOT_IN_DEPARTMENT']);
    expect((await ok(app, 'GET', `/v1/chats/${waiting.id}`)).departmentId).toBe('support');
    // Support's own agent may send it on to Sales, where Carla takes it.
    await ok(app, 'POST', `/v1/chats/${waiting.id}/queue`, { agentId: 'bruno', departmentId: 'sales' });
    expect(await ok(app, 'POST', `/v1/chats/${waiting.id}/accept`, { agentId: 'carla' })).toMatchObject({ status: 'active', agentId: 'carla', departmentId: 'sales' });

    const chat = await activeChat(app, 'ana');
    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'carla' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/accept`, { agentId: 'carla' });
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/complete`, { agentId: 'carla' })).toMatchObject({ agentId: 'carla', departmentId: 'support' });
  });

  it('offers transfer-back only to a chat that came from a transfer', async () => {
    const { app } = ponte;
    const chat = await activeChat(app, 'ana');
    await ok(app, 'POST', `/v1/chats/${chat.id}/queue`, { agentId: 'ana', departmentId: 'support' });
    const requeued = await ok(app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'bruno' });
    expect(requeued).toMatchObject({ lastAgentId: 'ana', transferBackToAgentId: null });
    const refused = await call(app, 'POST', `/v1/chats/${chat.id}/transfer-back`, { agentId: 'bruno' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'NO_LAST_OPERATOR']);

    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'bruno', toAgentId: 'ana' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/accept`, { agentId: 'ana' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/complete`, { agentId: 'ana' });
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/transfer-back`, { agentId: 'ana' })).toMatchObject({ agentId: 'bruno', transferBackToAgentId: 'ana' });
    await feedEvent(brunoFeed, chat.id, 'assigned');
  });

  it('a chat with a pending transfer can still be queued or closed: the transfer is withdrawn', async () => {
    const { app } = ponte;
    const chat = await activeChat(app, 'ana');
    await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' })).toMatchObject({ status: 'closing', transferToAgentId: null });
    await feedEvent(brunoFeed, chat.id, 'transfer', 'withdrawn');
    const other = await activeChat(app, 'ana');
    await ok(app, 'POST', `/v1/chats/${other.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
    expect(await ok(app, 'POST', `/v1/chats/${other.id}/queue`, { agentId: 'ana', departmentId: 'sales' })).toMatchObject({ status: 'queued', transferToAgentId: null });
  });

  it("an agent's feed carries its departments' queue changes and the chats assigned to it", async () => {
    const { app } = ponte;
    const chat = await startChat(app);
    const queued = await feedEvent(anaFeed, chat.id, 'queue', 'queued');
    expect(queued.data).toMatchObject({ departmentId: 'support', agentId: 'ana' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'bruno' });
    await feedEvent(anaFeed, chat.id, 'queue', 'accepted');
    await feedEvent(brunoFeed, chat.id, 'assigned');
    expect(anaFeed.events.some((e) => e.event === 'assigned' && e.data.chatId === chat.id)).toBe(false);
    await ok(app, 'PUT', '/v1/agents/carla/presence', { online: false }, helpdesk);
    await ok(app, 'PUT', '/v1/agents/bruno/presence', { online: false }, helpdesk);
    await eventually(async () => anaFeed.events.find((e) => e.event === 'presence' && e.data.agentId === 'bruno' && e.data.online === false), 'bruno going offline');
    expect(anaFeed.events.some((e) => e.event === 'presence' && e.data.agentId === 'carla')).toBe(false);
    await ok(app, 'PUT', '/v1/agents/bruno/presence', { online: true }, helpdesk);
    expect((await call(app, 'GET', '/v1/agents/nobody/events')).status).toBe(404);
  });
});
