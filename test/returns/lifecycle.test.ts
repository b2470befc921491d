// Over HTTP: each type's field rules (400 naming the fields), changes with the rules applied
// again, the status moves and their 409s, resend, and visibility of replies and interactions.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startPonte, type Ponte } from '../support/ponte.js';
import { call, createReturn, inDays, ok, portal, returnBody, seedReturnTeam } from './fixtures.js';

describe('returns over HTTP', () => {
  let ponte: Ponte;

  beforeAll(async () => {
    ponte = await startPonte('postgres', { workers: false });
    await seedReturnTeam(ponte.app);
  }, 60_000);
  afterAll(async () => ponte?.close());

  const refused = async (body: object) => {
    const r = await call(ponte.app, 'POST', '/v1/returns', body);
    expect(r.status, r.raw).toBe(400);
    return (r.body.error.details as Array<{ path: string }>).map((d) => d.path);
  };

  it('notice: no contact person, no ERP process number', async () => {
    expect(await refused(returnBody('notice', { contactPerson: 'Ana', crmProcessNumber: '10000001' }))).toEqual(['contactPerson', 'crmProcessNumber']);
    expect((await createReturn(ponte.app, 'notice')).type).toBe('notice');
  });

  it('custom: a contact person but no ERP process number', async () => {
    expect(await refused(returnBody('custom', { crmProcessNumber: '10000001' }))).toEqual(['crmProcessNumber']);
    expect((await createReturn(ponte.app, 'custom')).contactPerson).toBe('João');
  });

  it('question: an 8-digit ERP process number and a contact person', async () => {
    expect(await refused(returnBody('question', { crmProcessNumber: '123' }))).toEqual(['crmProcessNumber']);
    expect((await createReturn(ponte.app, 'question', { crmProcessNumber: '10000001' })).crmProcessNumber).toBe('10000001');
  });

  it('every type: validity in the future, an existing chat, the required fields', async () => {
    expect(await refused(returnBody('notice', { validUntil: inDays(-1) }))).toEqual(['validUntil']);
    expect(await refused(returnBody('notice', { chatId: '00000000-0000-4000-8000-000000000000' }))).toEqual(['chatId']);
    expect(await refused({ type: 'notice' })).toEqual(expect.arrayContaining(['clientEmail', 'validUntil', 'subject', 'description']));
    expect(await refused(returnBody('notice', { subject: '<script>x</script>' }))).toEqual(['subject']);
  });

  it('a linked chat gives the return its department when none is set', async () => {
    const { rows } = await ponte.deps.db.query(
      "INSERT INTO chats (status, department_id, client) VALUES ('closed', 'billing', '{\"name\":\"X\"}') RETURNING id",
    );
    const r = await createReturn(ponte.app, 'notice', { chatId: rows[0]!.id, departmentId: undefined });
    expect(r).toMatchObject({ chatId: rows[0]!.id, departmentId: 'billing' });
  });

  it('changes re-apply the rules and are audited from/to', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'notice');
    const bad = await call(app, 'PATCH', `/v1/returns/${r.id}`, { contactPerson: 'Ana', validUntil: inDays(-2) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['contactPerson', 'validUntil']);
    const changed = await ok(app, 'PATCH', `/v1/returns/${r.id}`, { responsibleUserId: 'bruno', departmentId: null });
    expect(changed).toMatchObject({ responsibleUserId: 'bruno', departmentId: null });
    const history = (await ok(app, 'GET', `/v1/returns/${r.id}/history`)).items;
    expect(history.at(-1)).toMatchObject({ action: 'return.updated', actor: 'helpdesk', changes: { responsibleUserId: { from: null, to: 'bruno' }, departmentId: { from: 'support', to: null } } });
    expect((await ok(app, 'GET', '/v1/returns?responsibleUserId=bruno')).items.map((i: { id: string }) => i.id)).toEqual([r.id]);
  });

  it('await reply, client answer, close, reopen by client and by hand; illegal moves are 409', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'custom');
    const status = async () => (await ok(app, 'GET', `/v1/returns/${r.id}`)).status;
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Só avisando que seguimos verificando.' });
    expect(await status()).toBe('open');
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Qual horário prefere?', awaitReply: true });
    expect(await status()).toBe('awaiting_client');
    const hidden = await call(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'x', awaitReply: true, visibleToClient: false });
    expect(hidden.status).toBe(400);
    expect(hidden.body.error.details[0].path).toBe('awaitReply');
    await portal(app, 'POST', r.id, r.portalToken, '/answer', { text: 'Depois das 14h.' });
    expect(await status()).toBe('awaiting_agent');
    await ok(app, 'POST', `/v1/returns/${r.id}/close`);
    expect(await status()).toBe('closed');
    for (const [path, body] of [['messages', { text: 'tarde' }], ['interactions', { text: 'tarde', channel: 'phone' }]] as const) {
      const r409 = await call(app, 'POST', `/v1/returns/${r.id}/${path}`, body);
      expect(r409.status).toBe(409);
      expect(r409.body.error.details[0]).toMatchObject({ current: 'closed' });
    }
    expect((await call(app, 'POST', `/v1/returns/${r.id}/resend`)).status).toBe(409);
    await portal(app, 'POST', r.id, r.portalToken, '/answer', { text: 'Mais uma coisa.' });
    expect(await status()).toBe('awaiting_agent');
    expect((await call(app, 'POST', `/v1/returns/${r.id}/reopen`)).status).toBe(409);
  });

  it('resend records an event on the timeline and in the history', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'notice');
    const resent = await call(app, 'POST', `/v1/returns/${r.id}/resend`);
    expect(resent.status).toBe(202);
    const view = await ok(app, 'GET', `/v1/returns/${r.id}`);
    expect(view.timeline.map((e: { event?: string }) => e.event)).toEqual(['created', 'notice_queued', 'resent']);
    expect(view.timeline.find((e: { event?: string }) => e.event === 'resent')).toMatchObject({ author: { kind: 'agent', name: 'helpdesk' }, visibleToClient: false });
    expect((await ok(app, 'GET', `/v1/returns/${r.id}/history`)).items.map((h: { action: string }) => h.action)).toEqual(['return.created', 'return.resent']);
  });

  it('unknown returns are 404; the portal routes need no API key but the agent routes do', async () => {
    const { app } = ponte;
    expect((await call(app, 'GET', '/v1/returns/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call(app, 'GET', '/v1/returns/not-a-uuid')).status).toBe(404);
    expect((await call(app, 'GET', '/v1/returns', undefined, {})).status).toBe(401);
    const r = await createReturn(app, 'notice');
    expect((await call(app, 'GET', `/v1/returns/${r.id}/preview`, undefined, {})).status).toBe(401);
    expect((await call(app, 'POST', `/v1/returns/${r.id}/inbound-email`, { from: 'a@b.c', rawText: 'x' }, auth('erp'))).status).toBe(201);
    expect((await call(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'x' }, auth('erp'))).status).toBe(403);
  });
});
