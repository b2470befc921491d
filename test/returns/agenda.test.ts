// What agents and clients see of a return's dates and duties: a notice takes no answer (the
// portal says so), validity in São Paulo time, the draft preview before saving, next actions
// only in the future with a to-do listing and a `return.next_action_due` reminder (webhook and
// the responsible agent's feed), and a responsible user told when a return is delegated.

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, eventually, startPonte, type Ponte } from '../support/ponte.js';
import { openStream, type Stream } from '../support/sse.js';
import { call, createReturn, ok, portal, returnBody, seedReturnTeam } from './fixtures.js';
import { MAX_TIMER_DELAY_MS, nextActionCame } from '../../src/returns/reminders.js';
import { insertSubscription } from '../../src/webhooks/store.js';

describe('a return\'s dates and duties', () => {
  let ponte: Ponte;
  let biaFeed: Stream;

  beforeAll(async () => {
    ponte = await startPonte('postgres');
    await seedReturnTeam(ponte.app);
    // Someone must listen for an event to be queued for fan-out (read below from the outbox).
    await insertSubscription(ponte.deps.db, { url: 'https://hooks.example.com/ponte', events: ['return.next_action_due', 'return.delegated'], secret: 'whsec_test', createdBy: 'test' });
    await ponte.app.listen({ port: 0, host: '127.0.0.1' });
    biaFeed = openStream((ponte.app.server.address() as AddressInfo).port, '/v1/agents/bia/events', KEYS.helpdesk);
    await eventually(async () => biaFeed.opened(), "bia's feed to open");
  }, 120_000);
  afterAll(async () => {
    biaFeed?.close();
    await ponte?.close();
  });

  const emitted = (type: string, returnId: string) => ponte.deps.db.query("SELECT payload FROM outbox WHERE payload->'event'->>'type' = $1 AND payload->'event'->'data'->>'returnId' = $2", [type, returnId]).then((r) => r.rows);

  it('a notice takes no answer, and the portal says so', async () => {
    const { app } = ponte;
    const notice = await createReturn(app, 'notice');
    const seen = await portal(app, 'GET', notice.id, notice.portalToken);
    expect(seen.body).toMatchObject({ type: 'notice', canAnswer: false });
    const answer = await portal(app, 'POST', notice.id, notice.portalToken, '/answer', { text: 'Ok, obrigado' });
    expect([answer.status, answer.body.error.code]).toEqual([409, 'RETURN_NOT_ANSWERABLE']);
    const page = await app.inject({ method: 'GET', url: `/v1/portal/returns/${notice.id}?token=${encodeURIComponent(notice.portalToken)}`, headers: { accept: 'text/html' } });
    expect(page.body).toContain('Este retorno é apenas informativo');
    const question = await createReturn(app, 'question');
    expect((await portal(app, 'GET', question.id, question.portalToken)).body.canAnswer).toBe(true);
  });

  it('shows the validity in São Paulo time', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'question', { validUntil: '2031-01-01T02:30:00Z' });
    const page = await app.inject({ method: 'GET', url: `/v1/portal/returns/${r.id}?token=${encodeURIComponent(r.portalToken)}`, headers: { accept: 'text/html' } });
    expect(page.body).toContain('Disponível até 31/12/2030 23:30 (horário de Brasília)');
    expect(page.body).not.toContain('UTC');
  });

  it('previews a draft as the client would see it, before saving', async () => {
    const { app } = ponte;
    const before = (await ponte.deps.db.query('SELECT count(*)::int AS n FROM returns')).rows[0]!.n;
    const preview = await app.inject({ method: 'POST', url: '/v1/returns/preview', headers: { authorization: `Bearer ${KEYS.helpdesk}` }, payload: returnBody('notice', { subject: 'Manutenção <b>programada</b>', validUntil: '2031-01-01T02:30:00Z' }) });
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toContain('text/html');
    expect(preview.body).toContain('Pré-visualização');
    expect(preview.body).toContain('Manutenção programada');
    expect(preview.body).toContain('31/12/2030 23:30');
    expect(preview.body).toContain('apenas informativo');
    expect((await ponte.deps.db.query('SELECT count(*)::int AS n FROM returns')).rows[0]!.n).toBe(before);
    const bad = await app.inject({ method: 'POST', url: '/v1/returns/preview', headers: { authorization: `Bearer ${KEYS.helpdesk}` }, payload: { type: 'notice' } });
    expect(bad.statusCode).toBe(400);
  });

  it('takes a next action only in the future, lists returns by it, and reminds the responsible agent when it comes', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'question', { responsibleUserId: 'bia' });
    const past = await call(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Retorno amanhã', nextActionAt: new Date(Date.now() - 60_000).toISOString() });
    expect([past.status, past.body.error.details[0].path]).toEqual([400, 'nextActionAt']);
    const interaction = await call(app, 'POST', `/v1/returns/${r.id}/interactions`, { channel: 'phone', text: 'Ligou', nextActionAt: '2020-01-01T00:00:00Z' });
    expect(interaction.status).toBe(400);

    const soon = new Date(Date.now() + 1500).toISOString();
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Ligo de volta em breve', nextActionAt: soon });
    const later = await createReturn(app, 'question');
    await ok(app, 'POST', `/v1/returns/${later.id}/messages`, { text: 'Semana que vem', nextActionAt: '2031-01-01T12:00:00Z' });
    const due = await ok(app, 'GET', `/v1/returns?nextActionBefore=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`);
    expect(due.items.map((i: { id: string }) => i.id)).toContain(r.id);
    expect(due.items.map((i: { id: string }) => i.id)).not.toContain(later.id);

    const reminder = await eventually(async () => biaFeed.events.find((e) => e.event === 'return.next_action_due' && e.data.returnId === r.id), "the reminder on bia's feed");
    expect(reminder.data).toMatchObject({ agentId: 'bia', nextActionAt: new Date(soon).toISOString(), responsibleUserId: 'bia' });
    const [event] = await emitted('return.next_action_due', r.id);
    expect(event!.payload.event.data).toMatchObject({ returnId: r.id, nextActionAt: new Date(soon).toISOString() });
    expect((await ok(app, 'GET', `/v1/returns/${r.id}`)).timeline.some((e: { event?: string }) => e.event === 'next_action_due')).toBe(true);
  });

  it('a next action replaced before it comes does not remind', async () => {
    const { app, deps } = ponte;
    const r = await createReturn(app, 'question', { responsibleUserId: 'bia' });
    const first = new Date(Date.now() + 800);
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'a', nextActionAt: first.toISOString() });
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'b', nextActionAt: '2031-06-01T12:00:00Z' });
    const job = await eventually(async () => {
      const j = await deps.jobs.queue('timers').getJob(`next-action:${r.id}:${first.getTime()}`);
      return j?.finishedOn ? j : undefined;
    }, 'the first reminder timer to run');
    expect(job.returnvalue).toBe('stale');
    expect(await emitted('return.next_action_due', r.id)).toEqual([]);
    // A date months ahead is reached in hops of at most 20 days, each timer setting the next.
    const far = Date.parse('2031-06-01T12:00:00Z');
    const { rows } = await deps.db.query('SELECT delay_ms FROM outbox WHERE job_id = $1', [`next-action:${r.id}:${far}`]);
    expect(rows[0]!.delay_ms).toBe(MAX_TIMER_DELAY_MS);
    expect(await nextActionCame(deps, { returnId: r.id, at: new Date(far).toISOString() })).toBe('waiting');
    expect((await deps.db.query('SELECT 1 FROM outbox WHERE job_id = $1', [`next-action:${r.id}:${far}:1`])).rows).toHaveLength(1);
  });

  it('tells the responsible user when a return is delegated to them', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'question');
    await ok(app, 'PATCH', `/v1/returns/${r.id}`, { responsibleUserId: 'bia' });
    const told = await eventually(async () => biaFeed.events.find((e) => e.event === 'return.delegated' && e.data.returnId === r.id), "the delegation on bia's feed");
    expect(told.data).toMatchObject({ responsibleUserId: 'bia', previousResponsibleUserId: null, delegatedBy: 'helpdesk' });
    expect(await emitted('return.delegated', r.id)).toHaveLength(1);
    expect((await ok(app, 'GET', `/v1/returns/${r.id}`)).timeline.find((e: { event?: string }) => e.event === 'delegated')).toMatchObject({ visibleToClient: false });
    // Forwarding to someone else tells them; naming the same person again tells nobody.
    await ok(app, 'POST', `/v1/returns/${r.id}/forward`, { responsibleUserId: 'bia' });
    expect(await emitted('return.delegated', r.id)).toHaveLength(1);
    const created = await createReturn(app, 'question', { responsibleUserId: 'bia' });
    await eventually(async () => biaFeed.events.find((e) => e.event === 'return.delegated' && e.data.returnId === created.id), 'the delegation of a new return');
  });
});
