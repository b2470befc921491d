// Version release from a chat through the updater sandbox: only systems of the chat's department,
// only versions the client is entitled to and not below the one in use (unless a downgrade is
// asked for); a queued, retried job that releases once per release id, even when the updater's answer is
// lost after it applied the release; the outcome posted in the chat and audited.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, startPonte, type Ponte } from '../support/ponte.js';
import { startUpdaterSandbox, type UpdaterSandbox } from '../../connectors/updater/sandbox/server.js';
import { activeChat, call, collectLive, ok, recordVersions, seedTeam, systemMessages } from './fixtures.js';

const CLIENT = '000012';

describe.each(['embedded', 'redis'] as const)('version releases (%s)', (mode) => {
  let ponte: Ponte;
  let updater: UpdaterSandbox;

  beforeAll(async () => {
    updater = await startUpdaterSandbox();
    vi.stubEnv('UPDATER_URL', updater.url);
    vi.stubEnv('UPDATER_API_KEY', updater.apiKey);
    ponte = await startPonte(mode);
    await seedTeam(ponte.app);
    await recordVersions(ponte, CLIENT, [{ system: 'Bimer ERP', used: '5.2', entitled: '5.3.2' }, { system: 'Bimer CRM', entitled: null }]);
  });
  afterAll(async () => {
    await ponte?.close();
    await updater?.close();
    vi.unstubAllEnvs();
  });

  const release = (chatId: string, system: string, version: string, extra: object = {}) => call(ponte.app, 'POST', `/v1/chats/${chatId}/version-releases`, { system, version, agentId: 'ana', ...extra });
  const settled = (chatId: string, id: string) => eventually(async () => {
    const item = (await ok(ponte.app, 'GET', `/v1/chats/${chatId}/version-releases`)).items.find((r: any) => r.id === id);
    return item?.status !== 'pending' && item;
  }, `release ${id} to settle`);
  const auditOf = async (id: string) => (await ponte.deps.db.query('SELECT actor, action, changes FROM audit_events WHERE target_type = $1 AND target_id = $2', ['version_release', id])).rows;

  it('refuses a version above the entitled one, and systems without an entitled version', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    for (const [system, version] of [['Bimer ERP', '5.4'], ['Bimer ERP', '5.3.10'], ['Bimer CRM', '1.0']] as const) {
      const res = await release(chat.id, system, version);
      expect([res.status, res.body.error.code], `${system} ${version}`).toEqual([400, 'VERSION_NOT_ENTITLED']);
      expect(res.body.error.details[0].path).toBe('version');
    }
    expect((await ok(ponte.app, 'GET', `/v1/chats/${chat.id}/version-releases`)).items).toEqual([]);
  });

  it('never goes below the version in use unless allowDowngrade is true', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    const refused = await release(chat.id, 'Bimer ERP', '5.1');
    expect([refused.status, refused.body.error.code]).toEqual([400, 'VERSION_NOT_ENTITLED']);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: 'version', message: expect.stringMatching(/uses "Bimer ERP" 5\.2; 5\.1 is below it/) })]);
    const asked = await release(chat.id, 'Bimer ERP', '5.1', { allowDowngrade: true });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect(await settled(chat.id, asked.body.id)).toMatchObject({ status: 'released', version: '5.1' });
  });

  it("releases only systems of the chat's department, naming every bad field at once", async () => {
    await recordVersions(ponte, CLIENT, [{ system: 'Bimer Folha', used: '2.0', entitled: '3.0' }]);
    const chat = await activeChat(ponte.app, 'ana');
    const outside = await release(chat.id, 'Bimer Folha', '2.5');
    expect([outside.status, outside.body.error.code]).toEqual([400, 'SYSTEM_NOT_IN_DEPARTMENT']);
    expect(outside.body.error.details[0]).toMatchObject({ path: 'system', message: expect.stringContaining('Bimer ERP, Bimer CRM') });
    const both = await release(chat.id, 'Bimer Folha', '9.0');
    expect([both.status, both.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(both.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([['system', 'SYSTEM_NOT_IN_DEPARTMENT'], ['version', 'VERSION_NOT_ENTITLED']]);
    expect(updater.releases.some((r) => r.system === 'Bimer Folha')).toBe(false);
  });

  it('releases an entitled version once, posts the outcome in the chat and audits it', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    const live = await collectLive(ponte, chat.id);
    try {
      const res = await release(chat.id, 'Bimer ERP', '5.3');
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body).toMatchObject({ status: 'pending', clientCode: CLIENT, system: 'Bimer ERP', version: '5.3', entitled: '5.3.2' });
      const done = await settled(chat.id, res.body.id);
      const applied = updater.releases.filter((r) => r.idempotencyKey === res.body.id);
      expect(applied).toEqual([expect.objectContaining({ clientCode: CLIENT, system: 'Bimer ERP', version: '5.3' })]);
      expect(done).toMatchObject({ status: 'released', updaterReleaseId: applied[0]!.id, attempts: 1, error: null });
      expect(await systemMessages(ponte, chat.id, /versão/i)).toEqual(['Versão 5.3 do sistema Bimer ERP liberada para o cliente pelo updater.']);
      expect(await auditOf(res.body.id)).toEqual([{ actor: 'agent:ana via key helpdesk', action: 'version.released', changes: expect.objectContaining({ version: '5.3', updaterReleaseId: applied[0]!.id }) }]);
      await eventually(async () => live.events.some((e) => e.type === 'version-release' && (e.data.release as any).status === 'released'), 'the live outcome');
    } finally {
      live.stop();
    }
  });

  it('is idempotent on retry: the answer lost after the updater applied it does not release twice', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    const callsBefore = updater.calls;
    updater.fail({ status: 503, times: 1, afterApply: true });
    const res = await release(chat.id, 'Bimer ERP', '5.3.2');
    expect(res.status).toBe(202);
    const done = await settled(chat.id, res.body.id);
    expect(done).toMatchObject({ status: 'released', attempts: 2 });
    expect(updater.calls - callsBefore).toBe(2);
    expect(updater.releases.filter((r) => r.idempotencyKey === res.body.id)).toHaveLength(1);
    expect(await auditOf(res.body.id)).toHaveLength(1);
  });

  it('ends failed, in the chat and the audit, once the updater keeps failing', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    updater.fail({ status: 503, times: 100 });
    try {
      const res = await release(chat.id, 'Bimer ERP', '5.1', { allowDowngrade: true });
      const done = await settled(chat.id, res.body.id);
      expect(done).toMatchObject({ status: 'failed', attempts: 5, error: { code: 'UPDATER_UNAVAILABLE' } });
      expect(done.error.message).toMatch(/^gave up after 5 attempts: updater release: HTTP 503/);
      expect(await systemMessages(ponte, chat.id, /versão/i)).toEqual([expect.stringMatching(/^Não foi possível liberar a versão 5\.1 do sistema Bimer ERP: gave up after 5 attempts/)]);
      expect(await auditOf(res.body.id)).toEqual([expect.objectContaining({ actor: 'agent:ana via key helpdesk', action: 'version.release_failed' })]);
      expect(updater.releases.some((r) => r.idempotencyKey === res.body.id)).toBe(false);
    } finally {
      updater.clearFaults();
    }
  });
});

describe('version releases: requests refused before anything is queued', () => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte('postgres', { workers: false });
    await seedTeam(ponte.app);
    await recordVersions(ponte, CLIENT, [{ system: 'Bimer ERP', entitled: '5.3' }]);
  });
  afterAll(async () => ponte?.close());

  const release = (chatId: string, body: object) => call(ponte.app, 'POST', `/v1/chats/${chatId}/version-releases`, { system: 'Bimer ERP', version: '5.3', agentId: 'ana', ...body });

  it('needs ERP product versions for the chat\'s client', async () => {
    const noVersions = await activeChat(ponte.app, 'ana', { clientCode: '99' });
    expect([(await release(noVersions.id, {})).status, (await release(noVersions.id, {})).body.error.code]).toEqual([400, 'NO_PRODUCT_VERSIONS']);
    const noCode = await activeChat(ponte.app, 'ana', { clientCode: undefined });
    expect((await release(noCode.id, {})).body.error.code).toBe('NO_PRODUCT_VERSIONS');
  });

  it('needs a dotted numeric version, an active chat and its agent', async () => {
    const chat = await activeChat(ponte.app, 'ana');
    expect((await release(chat.id, { version: '5.3-beta' })).body.error.details[0].path).toBe('version');
    expect((await release(chat.id, { agentId: 'bruno' })).body.error.code).toBe('NOT_CHAT_AGENT');
    await ok(ponte.app, 'POST', `/v1/chats/${chat.id}/queue`, { departmentId: 'support', agentId: 'ana' });
    expect((await release(chat.id, {})).status).toBe(409);
    expect((await ok(ponte.app, 'GET', `/v1/chats/${chat.id}/version-releases`)).items).toEqual([]);
  });
});
