// Remote access from a chat on the sandbox provider: created by a queued job, its state pulled
// every REMOTE_POLL_MS (waiting → connected → ended), each change stored, listed with its
// history, posted in the chat and published live; a failing provider is retried, then `failed`.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, startPonte, type Ponte } from '../support/ponte.js';
import { startRemoteAccessSandbox, type RemoteAccessSandbox } from '../../connectors/remote-access/sandbox/server.js';
import { activeChat, collectLive, helpdesk, ok, seedTeam, systemMessages } from './fixtures.js';

describe.each(['embedded', 'redis'] as const)('remote-access sessions (%s)', (mode) => {
  let ponte: Ponte;
  let sandbox: RemoteAccessSandbox;

  beforeAll(async () => {
    sandbox = await startRemoteAccessSandbox();
    // Providers read their settings from the environment the first time a job needs them.
    vi.stubEnv('REMOTE_ACCESS_URL', sandbox.url);
    vi.stubEnv('REMOTE_ACCESS_API_KEY', sandbox.apiKey);
    vi.stubEnv('REMOTE_POLL_MS', '200');
    ponte = await startPonte(mode);
    await seedTeam(ponte.app);
  });
  afterAll(async () => {
    await ponte?.close();
    await sandbox?.close();
    vi.unstubAllEnvs();
  });

  const sessionsOf = async (chatId: string) => (await ok(ponte.app, 'GET', `/v1/chats/${chatId}/remote-sessions`)).items;

  it('goes waiting → connected → ended as the provider reports, shown in GET, in the chat and live', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    const live = await collectLive(ponte, chat.id);
    try {
      const created = await ponte.app.inject({ method: 'POST', url: `/v1/chats/${chat.id}/remote-sessions`, headers: helpdesk, payload: { agentId: 'ana' } });
      expect(created.statusCode, created.body).toBe(202);
      expect(created.json()).toMatchObject({ chatId: chat.id, agentId: 'ana', state: 'waiting', accessCode: null });

      const withCode = await eventually(async () => (await sessionsOf(chat.id)).find((s: any) => s.accessCode), 'the provider to create the session');
      const remote = sandbox.sessions.get(withCode.providerSessionId)!;
      expect(withCode).toMatchObject({ state: 'waiting', accessCode: remote.accessCode, link: remote.link, attempts: 1, error: null });

      sandbox.setState(remote.id, 'connected');
      await eventually(async () => (await sessionsOf(chat.id))[0].state === 'connected', 'the pull to see "connected"');
      sandbox.setState(remote.id, 'ended');
      const [ended] = await eventually(async () => {
        const list = await sessionsOf(chat.id);
        return list[0].state === 'ended' && list;
      }, 'the pull to see "ended"');
      expect(ended.history.map((h: { state: string }) => h.state)).toEqual(['waiting', 'connected', 'ended']);

      expect(await systemMessages(ponte, chat.id, /remoto/)).toEqual([
        expect.stringContaining(remote.accessCode),
        'Acesso remoto conectado.',
        'Acesso remoto encerrado.',
      ]);
      await eventually(async () => live.events.some((e) => e.type === 'remote-session' && (e.data.session as any).state === 'ended'), 'the live "ended" event');
      const states = live.events.filter((e) => e.type === 'remote-session').map((e) => (e.data.session as { state: string }).state);
      // Created, then the provider's code (both waiting), connected, ended: a state repeats only while waiting.
      expect(states.filter((s, i) => s !== states[i - 1])).toEqual(['waiting', 'connected', 'ended']);
      expect(states.at(-1)).toBe('ended');
      // The "ended" message is published after the session's own event: wait for it too.
      await eventually(async () => live.events.filter((e) => e.type === 'message').length >= 3, 'the three live messages');
      expect(live.events.filter((e) => e.type === 'message')).toHaveLength(3);
    } finally {
      live.stop();
    }
  });

  it('retries a failing provider with backoff and creates the session once it answers', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    sandbox.fail({ operation: 'createSession', status: 503, times: 2 });
    await ok(ponte.app, 'POST', `/v1/chats/${chat.id}/remote-sessions`, { agentId: 'ana' });
    const [session] = await eventually(async () => {
      const list = await sessionsOf(chat.id);
      return list[0].accessCode && list;
    }, 'the session after two failed attempts');
    expect(session).toMatchObject({ state: 'waiting', attempts: 3, error: null });
    expect(session.history.map((h: { state: string }) => h.state)).toEqual(['waiting']);
  });

  it('shows a clear failed state once every attempt failed', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    const live = await collectLive(ponte, chat.id);
    sandbox.fail({ operation: 'createSession', status: 503, times: 100 });
    try {
      await ok(ponte.app, 'POST', `/v1/chats/${chat.id}/remote-sessions`, { agentId: 'ana' });
      const [failed] = await eventually(async () => {
        const list = await sessionsOf(chat.id);
        return list[0].state === 'failed' && list;
      }, 'the session to fail');
      expect(failed).toMatchObject({ accessCode: null, attempts: 5, error: { code: 'REMOTE_ACCESS_UNAVAILABLE' } });
      expect(failed.error.message).toMatch(/^gave up after 5 attempts: remote-access createSession: HTTP 503/);
      expect(failed.history.map((h: { state: string }) => h.state)).toEqual(['waiting', 'failed']);
      expect(await systemMessages(ponte, chat.id, /remoto/)).toEqual([expect.stringMatching(/^Falha no acesso remoto: gave up after 5 attempts/)]);
      await eventually(async () => live.events.some((e) => e.type === 'remote-session' && (e.data.session as any).state === 'failed'), 'the live "failed" event');
    } finally {
      live.stop();
      sandbox.clearFaults();
    }
  });
});
