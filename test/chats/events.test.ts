// Live events of a chat over SSE, through a real HTTP connection: every move arrives in order,
// private notes included for a key with see_private_notes, and other features' events on the topic.

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, MODES, eventually, startPonte, type Ponte } from '../support/ponte.js';
import { openStream as open } from '../support/sse.js';
import { ok, seedTeam, startChat } from './fixtures.js';

const openStream = (port: number, chatId: string) => open(port, `/v1/chats/${chatId}/events`, KEYS.helpdesk);

describe.each(MODES)('chat live events over SSE (%s)', (mode) => {
  let ponte: Ponte;
  let port: number;
  beforeAll(async () => {
    ponte = await startPonte(mode, { env: { CLOSE_INVITE_TIMEOUT_MS: '60000' } });
    await seedTeam(ponte.app);
    await ponte.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ponte.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => ponte?.close());

  it('streams the chat\'s events in the order they happened', async () => {
    const { app } = ponte;
    const chat = await startChat(app);
    const stream = openStream(port, chat.id);
    try {
      await eventually(async () => stream.comments.some((c) => c.startsWith('connected')), 'the stream to open');
      expect(stream.status()).toBe(200);
      expect(stream.contentType()).toContain('text/event-stream');

      await ok(app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'ana' });
      await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'client', text: 'Olá' });
      await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
      await ok(app, 'POST', `/v1/chats/${chat.id}/notes`, { agentId: 'ana', text: 'cliente antigo' });
      await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/accept`, { agentId: 'bruno' });
      await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/complete`, { agentId: 'bruno' });
      await ponte.deps.live.publish(`chat:${chat.id}`, 'client.delinquency', { clientCode: '000012', delinquent: true });
      await ok(app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'bruno' });
      await ok(app, 'POST', `/v1/chats/${chat.id}/close-invite/answer`, { accept: true });

      await eventually(async () => stream.events.some((e) => e.event === 'closed'), 'the closed event');
      expect(stream.events.map((e) => [e.event, e.data.action ?? e.data.message?.text ?? e.data.reason ?? null])).toEqual([
        ['queue', 'accepted'],
        ['message', 'Olá'],
        ['transfer', 'requested'],
        ['message', 'cliente antigo'],
        ['transfer', 'accepted'],
        ['transfer', 'completed'],
        ['client.delinquency', null],
        ['close-invite', 'sent'],
        ['closed', 'client'],
      ]);
      expect(stream.events[3]!.data.message.private).toBe(true);
      expect(stream.events.every((e) => e.data.chatId === chat.id)).toBe(true);
      expect(stream.events[6]!.data).toMatchObject({ clientCode: '000012', delinquent: true });
    } finally {
      stream.close();
    }
  });

  it('answers 404 for an unknown chat before streaming', async () => {
    const stream = openStream(port, '00000000-0000-0000-0000-000000000000');
    try {
      await eventually(async () => stream.status() === 404, 'a 404');
    } finally {
      stream.close();
    }
  });
});
