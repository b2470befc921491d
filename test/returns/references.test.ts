// Every id a return names is checked when it is written: its department, responsible user,
// a forward's product/user/department, a task's assignee and the ERP process (asked of the ERP
// within a bound) — one 400 naming each field. A return without a department opens its
// client's chat in PORTAL_CHAT_DEPARTMENT, where the client reads and writes with the token.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startPonte, type Ponte } from '../support/ponte.js';
import { sandbox as startSandbox } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { createSubject, simpleSubject } from '../casework/fixtures.js';
import { call, createReturn, ok, portal, returnBody, seedReturnTeam } from './fixtures.js';

const paths = (r: { body: { error: { details: Array<{ path: string }> } } }) => r.body.error.details.map((d) => d.path);

describe('ids a return names', () => {
  let ponte: Ponte;
  let erp: BimerSandbox;

  beforeAll(async () => {
    const { sandbox, env } = await startSandbox();
    erp = sandbox;
    ponte = await startPonte('postgres', { env: { ...env, PORTAL_CHAT_DEPARTMENT: 'support' } });
    await seedReturnTeam(ponte.app);
  }, 120_000);
  afterAll(async () => {
    await ponte?.close();
    await erp?.close();
  });

  it('a return naming an unknown department, responsible user and ERP process answers one 400 naming each', async () => {
    const { app } = ponte;
    const all = await call(app, 'POST', '/v1/returns', returnBody('question', { departmentId: 'nowhere', responsibleUserId: 'ghost', crmProcessNumber: '99999999' }));
    expect([all.status, all.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(paths(all).sort()).toEqual(['crmProcessNumber', 'departmentId', 'responsibleUserId']);
    expect(all.body.error.details.map((d: { code: string }) => d.code).sort()).toEqual(['UNKNOWN_AGENT', 'UNKNOWN_DEPARTMENT', 'UNKNOWN_PROCESS']);
    const one = await call(app, 'POST', '/v1/returns', returnBody('question', { crmProcessNumber: '99999999' }));
    expect([one.status, one.body.error.code, paths(one)]).toEqual([400, 'UNKNOWN_PROCESS', ['crmProcessNumber']]);
    expect((await ok(app, 'GET', '/v1/returns?clientEmail=joao@padaria.example')).items).toEqual([]);
    const fine = await createReturn(app, 'question', { responsibleUserId: 'bia', crmProcessNumber: '10000001' });
    expect(fine).toMatchObject({ responsibleUserId: 'bia', crmProcessNumber: '10000001', departmentId: 'support' });

    const patch = await call(app, 'PATCH', `/v1/returns/${fine.id}`, { responsibleUserId: 'ghost', departmentId: 'nowhere' });
    expect([patch.status, paths(patch).sort()]).toEqual([400, ['departmentId', 'responsibleUserId']]);
  });

  it("a forward's product, user and department and a task's assignee must exist", async () => {
    const { app } = ponte;
    const subject = await createSubject(app, simpleSubject());
    const r = await createReturn(app, 'question');
    const bad = await call(app, 'POST', `/v1/returns/${r.id}/forward`, { subjectId: subject.id, subSubjectId: 'geral', productId: 'NOPE000000', responsibleUserId: 'ghost', departmentId: 'nowhere' });
    expect([bad.status, paths(bad).sort()]).toEqual([400, ['departmentId', 'productId', 'responsibleUserId']]);
    await ok(app, 'POST', `/v1/returns/${r.id}/forward`, { subjectId: subject.id, subSubjectId: 'geral', productId: '00A0000011', responsibleUserId: 'ana', departmentId: 'sales' });
    const task = await call(app, 'POST', `/v1/returns/${r.id}/tasks`, { title: 'Ligar', assigneeId: 'ghost', dueAt: '2031-01-01T10:00:00Z' });
    expect([task.status, task.body.error.code, paths(task)]).toEqual([400, 'UNKNOWN_AGENT', ['assigneeId']]);
    expect((await call(app, 'POST', `/v1/returns/${r.id}/tasks`, { title: 'Ligar', assigneeId: 'bruno', dueAt: '2031-01-01T10:00:00Z' })).status).toBe(201);
  });

  it('an ERP that does not answer within the bound does not hold the write; a failure then shows on the return', async () => {
    const { app } = ponte;
    erp.faults.inject({ method: 'GET', path: '/api/crm/atendimentos/99999998', action: { type: 'delay', ms: 2500 } });
    const r = await createReturn(app, 'question', { crmProcessNumber: '99999998' });
    expect((await portal(app, 'POST', r.id, r.portalToken, '/answer', { text: 'Pode ser na sexta.' })).status).toBe(201);
    const failed = await eventually(async () => {
      const view = await ok(app, 'GET', `/v1/returns/${r.id}`);
      return view.integrations[0]?.lastError && view.integrations[0];
    }, 'the opinion integration to fail');
    expect(failed.lastError.code).toMatch(/NOT_FOUND|UNKNOWN_PROCESS/);
  });

  it('a return without a department opens its client\'s chat in PORTAL_CHAT_DEPARTMENT, and the client writes in it', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'notice', { departmentId: undefined, clientEmail: 'cliente@portal.example' });
    expect(r.departmentId).toBeNull();
    expect((await portal(app, 'GET', r.id, r.portalToken)).body.canOpenChat).toBe(true);
    const before = await portal(app, 'GET', r.id, r.portalToken, '/chat');
    expect([before.status, before.body.error.code]).toEqual([404, 'NO_PORTAL_CHAT']);

    const opened = await portal(app, 'POST', r.id, r.portalToken, '/chat');
    expect(opened.status).toBe(201);
    expect(opened.body.departmentId).toBe('support');
    const chat = await ok(app, 'GET', `/v1/chats/${opened.body.chatId}`);
    expect(chat).toMatchObject({ status: 'queued', departmentId: 'support' });
    expect((await ok(app, 'GET', '/v1/departments/support')).id).toBe('support');

    const written = await portal(app, 'POST', r.id, r.portalToken, '/chat/messages', { text: 'Olá, vim pelo retorno.' });
    expect(written.status, written.raw).toBe(201);
    await ok(app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'ana' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/notes`, { agentId: 'ana', text: 'nota interna' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'agent', agentId: 'ana', text: 'Olá! Em que posso ajudar?' });
    const seen = await portal(app, 'GET', r.id, r.portalToken, '/chat');
    expect(seen.body.status).toBe('active');
    expect(seen.body.messages.map((m: { text: string }) => m.text)).toEqual(['Olá, vim pelo retorno.', 'Ana iniciou o atendimento.', 'Olá! Em que posso ajudar?']);
    const agentSide = await ok(app, 'GET', `/v1/chats/${chat.id}/messages`);
    expect(agentSide.items.find((m: { text: string }) => m.text === 'Olá, vim pelo retorno.')).toMatchObject({ from: 'client' });
    expect((await portal(app, 'POST', r.id, 'wrong-token', '/chat/messages', { text: 'x' })).status).toBe(404);
  });
});

describe('a return without a department when PORTAL_CHAT_DEPARTMENT is unset', () => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte('postgres', { workers: false });
  }, 120_000);
  afterAll(async () => ponte?.close());

  it('offers no chat: 409 naming why', async () => {
    const r = await createReturn(ponte.app, 'notice', { departmentId: undefined });
    expect((await portal(ponte.app, 'GET', r.id, r.portalToken)).body.canOpenChat).toBe(false);
    const refused = await portal(ponte.app, 'POST', r.id, r.portalToken, '/chat');
    expect([refused.status, refused.body.error.code]).toEqual([409, 'RETURN_HAS_NO_DEPARTMENT']);
  });
});
