// Agents' private notes (and the hand-over lines) reach only keys and agents whose profiles
// hold see_private_notes: in the chat's message list and in its live stream.

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, KEYS, eventually, startPonte, type Ponte } from '../support/ponte.js';
import { openStream } from '../support/sse.js';
import { activeChat, admin, helpdesk, ok, seedTeam } from './fixtures.js';

const BASIC_SECRET = 'test-basic-desk-secret-000';
const basic = { authorization: `Bearer ${BASIC_SECRET}` };
const WITHOUT_NOTES = ['view_client_data', 'change_subject', 'change_situation', 'forward', 'create_tasks', 'clone', 'invite_third_parties', 'link_returns'];

describe('private notes on the chat screen', () => {
  let ponte: Ponte;
  let port: number;
  beforeAll(async () => {
    ponte = await startPonte('postgres', { env: { PONTE_API_KEYS: `${API_KEYS},basic:helpdesk:${BASIC_SECRET}:basic` } });
    await ok(ponte.app, 'PUT', '/v1/profiles/basic', { name: 'Atendente', permissions: WITHOUT_NOTES }, admin);
    await seedTeam(ponte.app);
    await ok(ponte.app, 'PUT', '/v1/agents/trainee', { name: 'Estagiária', departmentIds: ['support'], online: true, spellcheck: false, profileId: 'basic' }, admin);
    await ponte.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ponte.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => ponte?.close());

  const texts = (items: Array<{ text: string }>) => items.map((m) => m.text);

  it('lists private notes only for a key and an agent with see_private_notes', async () => {
    const { app } = ponte;
    const chat = await activeChat(app, 'ana');
    await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'client', text: 'Oi' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/notes`, { agentId: 'ana', text: 'cliente difícil' });

    const full = await ok(app, 'GET', `/v1/chats/${chat.id}/messages`);
    expect(texts(full.items)).toContain('cliente difícil');
    const asBasicKey = await app.inject({ method: 'GET', url: `/v1/chats/${chat.id}/messages`, headers: basic });
    expect(asBasicKey.statusCode).toBe(200);
    expect(texts(asBasicKey.json().items)).toEqual(['Ana iniciou o atendimento.', 'Oi']);
    expect(asBasicKey.json().privateNotesHidden).toBe(true);
    const asTrainee = await ok(app, 'GET', `/v1/chats/${chat.id}/messages?agentId=trainee`);
    expect(texts(asTrainee.items)).not.toContain('cliente difícil');
    expect(asTrainee.items.every((m: { private: boolean }) => !m.private)).toBe(true);
    // The header names the reading agent as ?agentId= does: the trainee's profile narrows it just the same.
    const byHeader = await app.inject({ method: 'GET', url: `/v1/chats/${chat.id}/messages`, headers: { ...helpdesk, 'x-agent-id': 'trainee' } });
    expect(byHeader.statusCode).toBe(200);
    expect(texts(byHeader.json().items)).toEqual(texts(asTrainee.items));
    const mismatch = await app.inject({ method: 'GET', url: `/v1/chats/${chat.id}/messages?agentId=ana`, headers: { ...helpdesk, 'x-agent-id': 'trainee' } });
    expect([mismatch.statusCode, mismatch.json().error.code]).toEqual([400, 'AGENT_MISMATCH']);
    const unknown = await app.inject({ method: 'GET', url: `/v1/chats/${chat.id}/messages`, headers: { ...helpdesk, 'x-agent-id': 'nobody' } });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, 'UNKNOWN_AGENT']);
  });

  it('streams private notes only to callers with see_private_notes', async () => {
    const { app } = ponte;
    const chat = await activeChat(app, 'ana');
    const everything = openStream(port, `/v1/chats/${chat.id}/events`, KEYS.helpdesk);
    const limited = openStream(port, `/v1/chats/${chat.id}/events`, BASIC_SECRET);
    const trainee = openStream(port, `/v1/chats/${chat.id}/events`, KEYS.helpdesk, { 'x-agent-id': 'trainee' });
    try {
      await eventually(async () => everything.opened() && limited.opened() && trainee.opened(), 'the streams to open');
      await ok(app, 'POST', `/v1/chats/${chat.id}/notes`, { agentId: 'ana', text: 'nota privada' });
      await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' });
      await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'client', text: 'ainda aí?' });
      for (const s of [everything, limited, trainee]) await eventually(async () => s.events.some((e) => e.data.message?.text === 'ainda aí?'), 'the client message');

      expect(everything.events.some((e) => e.data.message?.text === 'nota privada')).toBe(true);
      expect(everything.events.find((e) => e.event === 'transfer')!.data.systemMessage.private).toBe(true);
      for (const s of [limited, trainee]) {
        expect(s.events.map((e) => e.event)).toEqual(['transfer', 'message']);
        expect(JSON.stringify(s.events)).not.toContain('nota privada');
        expect(s.events[0]!.data.systemMessage).toBeUndefined();
      }
    } finally {
      for (const s of [everything, limited, trainee]) s.close();
    }
  });
});
