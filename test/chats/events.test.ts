// Live events of a chat over SSE, through a real HTTP connection: every move arrives in order,
// private notes included (the stream is for agents), and other features' events on the topic.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, MODES, eventually, startPonte, type Ponte } from '../support/ponte.js';
import { ok, seedTeam, startChat } from './fixtures.js';

interface SseEvent { event: string; data: any }

/** Opens the stream and collects comments and events as they arrive. */
function openStream(port: number, chatId: string) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let status = 0;
  let contentType = '';
  let buffer = '';
  const req = http.get({ host: '127.0.0.1', port, path: `/v1/chats/${chatId}/events`, headers: { authorization: `Bearer ${KEYS.helpdesk}` } }, (res) => {
    status = res.statusCode ?? 0;
    contentType = String(res.headers['content-type']);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (data) events.push({ event, data: JSON.parse(data) });
      }
    });
  });
  req.on('error', () => undefined);
  return { events, comments, status: () => status, contentType: () => contentType, close: () => req.destroy() };
}

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
        ['client.delinquency', null],
        ['close-invite', 'sent'],
        ['closed', 'client'],
      ]);
      expect(stream.events[3]!.data.message.private).toBe(true);
      expect(stream.events.every((e) => e.data.chatId === chat.id)).toBe(true);
      expect(stream.events[5]!.data).toMatchObject({ clientCode: '000012', delinquent: true });
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
