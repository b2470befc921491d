// Remote-access edge cases: who may ask and when, a provider refusal fails at once, and the
// provider's push route (shared secret) applies only real changes.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auth, eventually, startPonte, type Ponte } from '../support/ponte.js';
import { startRemoteAccessSandbox, type RemoteAccessSandbox } from '../../connectors/remote-access/sandbox/server.js';
import { activeChat, call, ok, seedTeam, startChat } from './fixtures.js';

const SECRET = 'remote-push-secret-0123456789';

describe('remote-access sessions: rules and push', () => {
  let ponte: Ponte;
  let sandbox: RemoteAccessSandbox;

  beforeAll(async () => {
    sandbox = await startRemoteAccessSandbox();
    vi.stubEnv('REMOTE_ACCESS_URL', sandbox.url);
    vi.stubEnv('REMOTE_ACCESS_API_KEY', sandbox.apiKey);
    // A long pull interval: here states change only when pushed.
    vi.stubEnv('REMOTE_POLL_MS', '600000');
    vi.stubEnv('REMOTE_ACCESS_WEBHOOK_SECRET', SECRET);
    ponte = await startPonte('postgres');
    await seedTeam(ponte.app);
  });
  afterAll(async () => {
    await ponte?.close();
    await sandbox?.close();
    vi.unstubAllEnvs();
  });

  const create = (chatId: string, agentId: string) => call(ponte.app, 'POST', `/v1/chats/${chatId}/remote-sessions`, { agentId });
  const push = (body: object, secret = SECRET) => ponte.app.inject({ method: 'POST', url: '/v1/remote-access/events', headers: { 'x-remote-access-secret': secret }, payload: body });
  const created = async (chatId: string) => eventually(async () => (await ok(ponte.app, 'GET', `/v1/chats/${chatId}/remote-sessions`)).items.find((s: any) => s.providerSessionId), 'the session to be created');

  it('needs an active chat held by the asking agent', async () => {
    const queued = await startChat(ponte.app);
    expect([(await create(queued.id, 'ana')).status, (await create(queued.id, 'ana')).body.error.code]).toEqual([409, 'ILLEGAL_CHAT_MOVE']);
    const chat = await activeChat(ponte.app, 'ana');
    expect((await create(chat.id, 'bruno')).body.error.code).toBe('NOT_CHAT_AGENT');
    expect((await create(chat.id, 'nobody')).body.error.code).toBe('UNKNOWN_AGENT');
    expect((await create('5b0c9d0e-0000-4000-8000-000000000000', 'ana')).status).toBe(404);
    const erpKey = await ponte.app.inject({ method: 'POST', url: `/v1/chats/${chat.id}/remote-sessions`, headers: auth('erp'), payload: { agentId: 'ana' } });
    expect(erpKey.statusCode).toBe(403);
    expect((await ok(ponte.app, 'GET', `/v1/chats/${chat.id}/remote-sessions`)).items).toEqual([]);
  });

  it('fails at once, without retries, when the provider refuses the request', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    sandbox.fail({ operation: 'createSession', status: 422, times: 1 });
    await ok(ponte.app, 'POST', `/v1/chats/${chat.id}/remote-sessions`, { agentId: 'ana' });
    const failed = await eventually(async () => (await ok(ponte.app, 'GET', `/v1/chats/${chat.id}/remote-sessions`)).items.find((s: any) => s.state === 'failed'), 'the refusal');
    expect(failed).toMatchObject({ attempts: 1, error: { code: 'REMOTE_ACCESS_REJECTED' } });
  });

  it('applies pushed states with the shared secret, ignoring repeats and stale reports', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    await ok(ponte.app, 'POST', `/v1/chats/${chat.id}/remote-sessions`, { agentId: 'ana' });
    const session = await created(chat.id);
    const sessionId = session.providerSessionId;

    expect((await push({ sessionId, state: 'connected' }, 'wrong-secret')).statusCode).toBe(401);
    const connected = await push({ sessionId, state: 'connected' });
    expect(connected.statusCode, connected.body).toBe(200);
    expect(connected.json()).toMatchObject({ changed: true, session: { id: session.id, state: 'connected' } });
    expect((await push({ sessionId, state: 'connected' })).json()).toMatchObject({ changed: false, session: { state: 'connected' } });
    expect((await push({ sessionId, state: 'waiting' })).json()).toMatchObject({ changed: false, session: { state: 'connected' } });
    const failed = await push({ sessionId, state: 'failed', reason: 'cliente recusou a conexão' });
    expect(failed.json()).toMatchObject({ changed: true, session: { state: 'failed', error: { code: 'REMOTE_SESSION_FAILED', message: 'cliente recusou a conexão' } } });
    expect((await push({ sessionId, state: 'ended' })).json()).toMatchObject({ changed: false, session: { state: 'failed' } });
    expect((await push({ sessionId: 'rs_unknown', state: 'ended' })).statusCode).toBe(404);
    expect((await push({ sessionId, state: 'gone' })).statusCode).toBe(400);
  });

  it('answers 404 to pushes while no secret is configured', async () => {
    vi.stubEnv('REMOTE_ACCESS_WEBHOOK_SECRET', '');
    try {
      const res = await push({ sessionId: 'rs_x', state: 'ended' });
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'REMOTE_PUSH_DISABLED']);
    } finally {
      vi.stubEnv('REMOTE_ACCESS_WEBHOOK_SECRET', SECRET);
    }
  });
});
