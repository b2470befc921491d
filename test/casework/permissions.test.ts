// Permissions by profile: every case-work action is refused (403 naming the missing permission)
// to a key whose profile lacks it and allowed to one that has it; an acting agent's profile
// narrows the key's; keys without a profile keep every permission; reads hide client data
// and private notes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startPonte, type Ponte } from '../support/ponte.js';
import {
  admin, ALL_PERMISSIONS, API_KEYS_WITH_PROFILES, call, caseReturn, createReturn, createSubject, keyOf, ok, putProfile, simpleSubject,
} from './fixtures.js';

describe('case-work permissions by profile', () => {
  let ponte: Ponte;
  let app: FastifyInstance;
  let subjectId: string;

  beforeAll(async () => {
    ponte = await startPonte('postgres', { env: { PONTE_API_KEYS: API_KEYS_WITH_PROFILES } });
    app = ponte.app;
    subjectId = (await createSubject(app, simpleSubject())).id;
    await putProfile(app, 'clerk', []);
    await putProfile(app, 'senior', ALL_PERMISSIONS);
  }, 120_000);

  afterAll(async () => {
    await ponte?.close();
  });

  /** Each action, with what it needs, run against a fresh return in a state where it can succeed. */
  const actions: Array<{ name: string; permission: string; run: (headers: Record<string, string>) => Promise<{ status: number; body: any; raw: string }> }> = [
    { name: 'forward', permission: 'forward', run: async (h) => call(app, 'POST', `/v1/returns/${(await caseReturn(app, subjectId)).id}/forward`, { responsibleUserId: 'bia' }, h) },
    { name: 'change subject', permission: 'change_subject', run: async (h) => call(app, 'POST', `/v1/returns/${(await createReturn(app)).id}/forward`, { subjectId, subSubjectId: 'geral' }, h) },
    { name: 'change situation', permission: 'change_situation', run: async (h) => call(app, 'POST', `/v1/returns/${(await caseReturn(app, subjectId)).id}/situation`, { situation: 'Fechado' }, h) },
    { name: 'create a task', permission: 'create_tasks', run: async (h) => call(app, 'POST', `/v1/returns/${(await caseReturn(app, subjectId)).id}/tasks`, { title: 'Ligar', assigneeId: 'ana', dueAt: '2031-01-01T10:00:00Z' }, h) },
    {
      name: 'mark a task done', permission: 'create_tasks', run: async (h) => {
        const r = await caseReturn(app, subjectId);
        const task = await ok(app, 'POST', `/v1/returns/${r.id}/tasks`, { title: 'Ligar', assigneeId: 'ana', dueAt: '2031-01-01T10:00:00Z' });
        return call(app, 'PATCH', `/v1/returns/${r.id}/tasks/${task.id}`, { done: true }, h);
      },
    },
    { name: 'clone', permission: 'clone', run: async (h) => call(app, 'POST', `/v1/returns/${(await createReturn(app)).id}/clone`, { confirm: true }, h) },
    { name: 'invite a third party', permission: 'invite_third_parties', run: async (h) => call(app, 'POST', `/v1/returns/${(await createReturn(app)).id}/third-parties`, { email: 'terceiro@example.com' }, h) },
    {
      name: 'copy a reply to third parties', permission: 'invite_third_parties', run: async (h) => {
        const r = await createReturn(app);
        await ok(app, 'POST', `/v1/returns/${r.id}/third-parties`, { email: 'terceiro@example.com' });
        return call(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Cópia', copyThirdParties: true }, h);
      },
    },
    { name: 'link returns', permission: 'link_returns', run: async (h) => call(app, 'POST', `/v1/returns/${(await createReturn(app)).id}/links`, { returnId: (await createReturn(app)).id }, h) },
    {
      name: 'unlink returns', permission: 'link_returns', run: async (h) => {
        const [x, y] = [await createReturn(app), await createReturn(app)];
        await ok(app, 'POST', `/v1/returns/${x.id}/links`, { returnId: y.id });
        return call(app, 'DELETE', `/v1/returns/${x.id}/links/${y.id}`, undefined, h);
      },
    },
    { name: 'reassign with PATCH', permission: 'forward', run: async (h) => call(app, 'PATCH', `/v1/returns/${(await createReturn(app)).id}`, { responsibleUserId: 'bia' }, h) },
    { name: 'search by client', permission: 'view_client_data', run: async (h) => call(app, 'GET', '/v1/returns?clientEmail=joao@padaria.example', undefined, h) },
  ];

  it.each(actions)('$name: 403 without $permission, allowed with it', async ({ permission, run }) => {
    const denied = await run(keyOf('clerk'));
    expect(denied.status, denied.raw).toBe(403);
    expect(denied.body.error.code).toBe('PERMISSION_DENIED');
    expect(denied.body.error.details).toEqual([expect.objectContaining({ permission })]);
    expect(denied.body.error.message).toContain(permission);
    const allowed = await run(keyOf('senior'));
    expect(allowed.status, allowed.raw).toBeLessThan(300);
  });

  it('a key naming a profile that does not exist is refused (fail closed); keys without a profile keep every permission', async () => {
    const r = await createReturn(app);
    const ghost = await call(app, 'POST', `/v1/returns/${r.id}/clone`, { confirm: true }, keyOf('ghost'));
    expect(ghost.status).toBe(403);
    expect(ghost.body.error.message).toContain('profile "no-such-profile" is not defined');
    expect((await call(app, 'POST', `/v1/returns/${r.id}/clone`, { confirm: true })).status).toBe(201);
    expect((await call(app, 'POST', `/v1/returns/${r.id}/clone`, { confirm: true }, admin)).status).toBe(201);
  });

  it("an acting agent's profile narrows the key's; an unknown agent is a 400", async () => {
    await putProfile(app, 'no-clone', ALL_PERMISSIONS.filter((p) => p !== 'clone'));
    await ok(app, 'PUT', '/v1/agents/rita', { name: 'Rita', departmentIds: [], profileId: 'no-clone' }, admin);
    await ok(app, 'PUT', '/v1/agents/beto', { name: 'Beto', departmentIds: [] }, admin);
    const r = await createReturn(app);
    const denied = await call(app, 'POST', `/v1/returns/${r.id}/clone`, { confirm: true, agentId: 'rita' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.details).toEqual([{ path: 'permission', message: 'agent "rita" (profile "no-clone") lacks clone', permission: 'clone' }]);
    const byBeto = await call(app, 'POST', `/v1/returns/${r.id}/clone`, { confirm: true, agentId: 'beto' });
    expect(byBeto.status).toBe(201);
    // The history names the agent and the key it acted through.
    const history = (await ok(app, 'GET', `/v1/returns/${r.id}/history`)).items;
    expect(history.find((h: { action: string }) => h.action === 'return.cloned').actor).toBe('agent:beto via key helpdesk');
    // The key's own limits still apply when the agent may do more.
    expect((await call(app, 'POST', `/v1/returns/${r.id}/clone`, { confirm: true, agentId: 'beto' }, keyOf('clerk'))).status).toBe(403);
    const unknown = await call(app, 'POST', `/v1/returns/${r.id}/clone`, { confirm: true, agentId: 'nobody' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('UNKNOWN_AGENT');
  });

  it('reads hide client data without view_client_data and private notes without see_private_notes', async () => {
    const r = await createReturn(app, 'question', { contactPerson: 'João Silva' });
    const note = await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Nota interna: cliente João Silva irritado', visibleToClient: false });
    const visible = await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Olá João Silva, tudo certo.' });

    const full = await ok(app, 'GET', `/v1/returns/${r.id}`, undefined, keyOf('senior'));
    expect(full).toMatchObject({ clientEmail: 'joao@padaria.example', clientCode: '000012', contactPerson: 'João Silva' });
    expect(full.timeline.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining([note.id, visible.id]));

    const limited = await call(app, 'GET', `/v1/returns/${r.id}`, undefined, keyOf('clerk'));
    expect(limited.status).toBe(200);
    expect(limited.body).toMatchObject({ clientEmail: null, clientCode: null, contactPerson: null, clientDataHidden: true, privateNotesHidden: true });
    expect(limited.raw).not.toContain('joao@padaria.example');
    expect(limited.raw).not.toContain('João Silva');
    const ids = limited.body.timeline.map((e: { id: string }) => e.id);
    expect(ids).toContain(visible.id);
    expect(ids).not.toContain(note.id);
    expect((await call(app, 'GET', `/v1/returns/${r.id}/timeline/${note.id}`, undefined, keyOf('clerk'))).status).toBe(404);
    expect((await call(app, 'GET', `/v1/returns/${r.id}/timeline/${note.id}`, undefined, keyOf('senior'))).status).toBe(200);

    const history = await call(app, 'GET', `/v1/returns/${r.id}/history`, undefined, keyOf('clerk'));
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({ action: 'return.created', changes: { clientEmail: { from: '[oculto]', to: '[oculto]' }, type: { from: null, to: 'question' } } });
    expect(history.raw).not.toContain('joao@padaria.example');
    expect((await ok(app, 'GET', `/v1/returns/${r.id}/history`, undefined, keyOf('senior'))).items[0].changes.clientEmail.to).toBe('joao@padaria.example');

    const listed = await call(app, 'GET', '/v1/returns', undefined, keyOf('clerk'));
    expect(listed.status).toBe(200);
    expect(listed.raw).not.toContain('joao@padaria.example');
  });

  it('profiles are managed by admins only and must name known permissions', async () => {
    expect((await call(app, 'POST', '/v1/profiles', { name: 'x', permissions: [] })).status).toBe(403);
    const bad = await call(app, 'POST', '/v1/profiles', { name: 'x', permissions: ['fly'] }, admin);
    expect(bad.status).toBe(400);
    const created = await call(app, 'POST', '/v1/profiles', { id: 'support-l1', name: 'Suporte N1', permissions: ['forward', 'forward', 'clone'] }, admin);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'support-l1', name: 'Suporte N1', permissions: ['clone', 'forward'] });
    expect((await call(app, 'POST', '/v1/profiles', { id: 'support-l1', name: 'again', permissions: [] }, admin)).body.error.code).toBe('PROFILE_EXISTS');
    const replaced = await call(app, 'PUT', '/v1/profiles/support-l1', { name: 'Suporte N1', permissions: ['forward'] }, admin);
    expect(replaced.status).toBe(200);
    expect((await ok(app, 'GET', '/v1/profiles', undefined, admin)).items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['clerk', 'senior', 'support-l1']));
    const audit = (await ok(app, 'GET', '/v1/admin/audit?targetId=support-l1', undefined, admin)).items;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['profile.created', 'profile.updated']));
  });
});
