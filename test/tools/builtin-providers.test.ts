// With nothing configured (no REMOTE_ACCESS_URL, no UPDATER_URL) the chat tools work out of the
// box: each connector starts its built-in sandbox provider, and bad settings fail clearly.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, startPonte, type Ponte } from '../support/ponte.js';
import { validConfig } from '../../src/tools/providers.js';
import { manifest as remoteAccess } from '../../connectors/remote-access/index.js';
import { manifest as updater } from '../../connectors/updater/index.js';
import { activeChat, ok, recordVersions, seedTeam } from './fixtures.js';

describe('built-in sandbox providers', () => {
  let ponte: Ponte;
  beforeAll(async () => {
    vi.stubEnv('REMOTE_ACCESS_URL', '');
    vi.stubEnv('UPDATER_URL', '');
    ponte = await startPonte('embedded');
    await seedTeam(ponte.app);
    await recordVersions(ponte, '000012', [{ system: 'Bimer ERP', entitled: '6.0' }]);
  });
  afterAll(async () => {
    await ponte?.close();
    vi.unstubAllEnvs();
  });

  it('creates a remote session and releases a version without any provider configured', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    await ok(ponte.app, 'POST', `/v1/chats/${chat.id}/remote-sessions`, { agentId: 'ana' });
    const release = await ok(ponte.app, 'POST', `/v1/chats/${chat.id}/version-releases`, { system: 'Bimer ERP', version: '6.0', agentId: 'ana' });
    const session = await eventually(async () => (await ok(ponte.app, 'GET', `/v1/chats/${chat.id}/remote-sessions`)).items.find((s: any) => s.accessCode), 'the sandbox session');
    expect(session).toMatchObject({ state: 'waiting', accessCode: expect.stringMatching(/^\d{3} \d{3} \d{3}$/), link: expect.stringContaining('/join/') });
    const released = await eventually(async () => (await ok(ponte.app, 'GET', `/v1/chats/${chat.id}/version-releases`)).items.find((r: any) => r.id === release.id && r.status === 'released'), 'the sandbox release');
    expect(released.updaterReleaseId).toMatch(/^upd_/);
  });
});

describe('provider settings', () => {
  it('reads defaults from an empty environment', () => {
    expect(validConfig(remoteAccess, {})).toEqual({ url: undefined, apiKey: '', timeoutMs: 10_000, pollMs: 5_000, webhookSecret: undefined });
    expect(validConfig(updater, {})).toEqual({ url: undefined, apiKey: '', timeoutMs: 10_000 });
  });

  it('names the variable that is wrong', () => {
    expect(() => validConfig(remoteAccess, { REMOTE_POLL_MS: 'soon' })).toThrow(/REMOTE_POLL_MS/);
    expect(() => validConfig(remoteAccess, { REMOTE_ACCESS_URL: 'https://remote.example' })).toThrow(/REMOTE_ACCESS_API_KEY/);
    expect(() => validConfig(updater, { UPDATER_URL: 'ftp://x' })).toThrow(/UPDATER_URL/);
  });
});
