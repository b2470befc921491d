// A case from its notice e-mail to its clone: required fields on forward, the workflow, linked
// returns, tasks, a third party's invitation and copy received by a real SMTP server, the
// clone linked back, and the history with from/to — in two runtime modes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startPonte, type Mode, type Ponte } from '../support/ponte.js';
import { startSmtpSink, type SmtpSink } from '../mail/smtp-sink.js';
import { admin, assistanceSubject, call, createReturn, createSubject, ok, paths } from './fixtures.js';

const MAIN_MODES: Mode[] = ['embedded', 'redis'];
const CLIENT = 'joao@padaria.example';
const REALTOR = 'corretor@imobiliaria.example';

describe.each(MAIN_MODES)('case work main flow (%s)', (mode) => {
  let ponte: Ponte;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    ponte = await startPonte(mode, { env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://ponte.example', MAIL_FROM: 'Suporte <suporte@ponte.example>' } });
  }, 120_000);

  afterAll(async () => {
    await ponte?.close();
    await smtp?.close();
  });

  it('forwards, moves, links, tasks, third parties, clones, e-mails and records the history', async () => {
    const { app } = ponte;
    const subject = await createSubject(app, assistanceSubject());

    // The notice reaches the client with the portal link.
    const a = await createReturn(app, 'question', { subject: 'Infiltração na parede' });
    const notice = await eventually(async () => smtp.to(CLIENT).find((m) => m.mail.subject?.includes('Infiltração na parede')), 'the notice e-mail');
    expect(notice.mail.subject).toBe('Novo retorno: Infiltração na parede');
    expect(notice.mail.from?.value[0]?.address).toBe('suporte@ponte.example');
    expect(notice.mail.text).toContain(a.portalUrl);
    expect(notice.mail.html).toContain(`href="${a.portalUrl.replace(/&/g, '&amp;')}"`);
    expect((await call(app, 'GET', new URL(a.portalUrl).pathname + new URL(a.portalUrl).search, undefined, {})).status).toBe(200);

    // Forwarding to the subject without its required fields: one 400 naming them all.
    const bare = await call(app, 'POST', `/v1/returns/${a.id}/forward`, { subjectId: subject.id });
    expect(bare.status).toBe(400);
    expect(bare.body.error.code).toBe('REQUIRED_FIELDS_MISSING');
    expect(paths(bare.body.error.details)).toEqual(['subSubjectId', 'responsibleUserId', 'priority', 'nextActionAt']);
    // The sub-subject "parede" requires a product as well.
    const noProduct = await call(app, 'POST', `/v1/returns/${a.id}/forward`, { subjectId: subject.id, subSubjectId: 'parede', responsibleUserId: 'ana', priority: 'high', nextActionAt: '2031-01-10T12:00:00Z' });
    expect(noProduct.status).toBe(400);
    expect(noProduct.body.error.details).toEqual([{ path: 'productId', message: 'required by sub-subject "Parede"' }]);
    const forwarded = await ok(app, 'POST', `/v1/returns/${a.id}/forward`, { subjectId: subject.id, subSubjectId: 'parede', responsibleUserId: 'ana', priority: 'high', nextActionAt: '2031-01-10T12:00:00Z', productId: '00A0000011' });
    expect(forwarded).toMatchObject({ subjectId: subject.id, subSubjectId: 'parede', situation: 'Aberto', priority: 'high', productId: '00A0000011', responsibleUserId: 'ana', nextActionAt: '2031-01-10T12:00:00.000Z' });

    // The workflow: a move it does not declare is 409 naming the allowed ones.
    const skip = await call(app, 'POST', `/v1/returns/${a.id}/situation`, { situation: 'Finalizado' });
    expect(skip.status).toBe(409);
    expect(skip.body.error.code).toBe('SITUATION_MOVE_NOT_ALLOWED');
    expect(skip.body.error.message).toContain('"Em análise", "Cancelado"');
    expect(skip.body.error.details[0].allowed).toEqual([{ from: 'Aberto', to: 'Em análise' }, { from: 'Aberto', to: 'Cancelado' }]);
    expect((await ok(app, 'POST', `/v1/returns/${a.id}/situation`, { situation: 'Em análise' })).situation).toBe('Em análise');

    // Links between active returns, listed from both sides.
    const b = await createReturn(app, 'notice', { subject: 'Reparo no banheiro' });
    await ok(app, 'POST', `/v1/returns/${b.id}/forward`, { subjectId: subject.id, subSubjectId: 'banheiro', responsibleUserId: 'ana', priority: 'normal', nextActionAt: '2031-01-11T12:00:00Z' });
    const link = await call(app, 'POST', `/v1/returns/${a.id}/links`, { returnId: b.id });
    expect(link.status, link.raw).toBe(201);
    expect(link.body).toMatchObject({ returnId: b.id, origin: 'manual', linkedBy: 'helpdesk' });
    expect((await ok(app, 'GET', `/v1/returns/${a.id}/links`)).items.map((l: { returnId: string }) => l.returnId)).toEqual([b.id]);
    expect((await ok(app, 'GET', `/v1/returns/${b.id}/links`)).items.map((l: { returnId: string }) => l.returnId)).toEqual([a.id]);

    // Tasks need a sub-subject.
    const c = await createReturn(app, 'notice', { subject: 'Sem subassunto' });
    const refused = await call(app, 'POST', `/v1/returns/${c.id}/tasks`, { title: 'Visita', assigneeId: 'ana', dueAt: '2031-01-12T09:00:00Z' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('TASK_NEEDS_SUB_SUBJECT');
    const task = await call(app, 'POST', `/v1/returns/${a.id}/tasks`, { title: 'Visita técnica', assigneeId: 'ana', dueAt: '2031-01-12T09:00:00Z' });
    expect(task.status, task.raw).toBe(201);
    expect((await ok(app, 'PATCH', `/v1/returns/${a.id}/tasks/${task.body.id}`, { done: true })).done).toBe(true);
    expect((await ok(app, 'GET', `/v1/returns/${a.id}/tasks`)).items).toEqual([expect.objectContaining({ title: 'Visita técnica', done: true, doneBy: 'helpdesk' })]);

    // A third party: invited by e-mail, then copied on a reply that also goes to the client.
    expect((await call(app, 'POST', `/v1/returns/${a.id}/third-parties`, { email: REALTOR, name: 'Carla Corretora' })).status).toBe(201);
    const invite = await eventually(async () => smtp.to(REALTOR)[0], 'the invitation');
    expect(invite.mail.subject).toBe('Convite: Infiltração na parede');
    const reply = await ok(app, 'POST', `/v1/returns/${a.id}/messages`, {
      text: '<p>A visita está <strong>confirmada</strong>.<script>alert(1)</script><img src=x onerror="alert(2)"></p>', format: 'html',
      sendByEmail: true, copyThirdParties: true,
    });
    expect(reply.data).toMatchObject({ email: { to: CLIENT }, thirdPartyCopies: [{ email: REALTOR }] });
    const copy = await eventually(async () => smtp.to(REALTOR).find((m) => m.mail.subject?.startsWith('Cópia')), 'the third-party copy');
    const toClient = await eventually(async () => smtp.to(CLIENT).find((m) => m.mail.subject === 'Re: Infiltração na parede'), 'the reply e-mail');
    for (const m of [copy, toClient]) {
      expect(m.mail.html).toContain('<strong>confirmada</strong>');
      expect(m.mail.html).not.toMatch(/<script|onerror|alert/);
      expect(m.mail.text).toContain('A visita está confirmada.');
    }
    expect(copy.to).toEqual([REALTOR]);

    // Clone: confirmed, same client, subject, sub-subject and description, linked back.
    const clone = await call(app, 'POST', `/v1/returns/${a.id}/clone`, { confirm: true });
    expect(clone.status, clone.raw).toBe(201);
    const source = await ok(app, 'GET', `/v1/returns/${a.id}`);
    expect(clone.body).toMatchObject({
      clonedFrom: a.id, clientEmail: CLIENT, subject: source.subject, description: source.description, subjectId: subject.id, subSubjectId: 'parede',
      situation: 'Aberto', status: 'open', portalTokenActive: true,
    });
    expect(clone.body.id).not.toBe(a.id);
    expect(clone.body.portalToken).not.toBe(a.portalToken);
    const sourceLinks = (await ok(app, 'GET', `/v1/returns/${a.id}/links`)).items;
    expect(sourceLinks).toEqual(expect.arrayContaining([expect.objectContaining({ returnId: clone.body.id, origin: 'clone' })]));
    expect((await ok(app, 'GET', `/v1/returns/${clone.body.id}/links`)).items).toEqual([expect.objectContaining({ returnId: a.id, origin: 'clone' })]);
    await eventually(async () => smtp.to(CLIENT).find((m) => m.mail.text?.includes(clone.body.portalUrl)), "the clone's notice");

    // The timeline records the invitation and the copy; the history who/what/from/to.
    const events = source.timeline.map((e: { event?: string }) => e.event).filter(Boolean);
    expect(events).toEqual(expect.arrayContaining(['forwarded', 'situation_changed', 'linked', 'task_created', 'task_done', 'third_party_invited', 'third_party_copied', 'cloned']));
    const history = (await ok(app, 'GET', `/v1/returns/${a.id}/history`)).items as Array<{ action: string; actor: string; at: string; changes: Record<string, { from: unknown; to: unknown }> }>;
    const entry = (action: string) => history.find((h) => h.action === action)!;
    expect(entry('return.forwarded')).toMatchObject({ actor: 'helpdesk', changes: { subjectId: { from: null, to: subject.id }, subSubjectId: { from: null, to: 'parede' }, situation: { from: null, to: 'Aberto' }, priority: { from: null, to: 'high' } } });
    expect(entry('return.situation_changed').changes).toEqual({ situation: { from: 'Aberto', to: 'Em análise' } });
    expect(entry('return.linked').changes).toEqual({ links: { from: null, to: b.id } });
    expect(entry('return.third_party_invited').changes).toEqual({ thirdParties: { from: null, to: REALTOR } });
    expect(entry('return.copied_to_third_parties').changes).toEqual({ thirdPartyCopies: { from: null, to: [REALTOR] } });
    expect(entry('return.cloned').changes).toEqual({ clones: { from: null, to: clone.body.id } });
    expect(Object.keys(entry('return.task_updated').changes)[0]).toBe(`tasks.${task.body.id}.done`);
    expect(Date.parse(entry('return.forwarded').at)).not.toBeNaN();

    // Every mail of the return is recorded as sent.
    const mails = await eventually(async () => {
      const list = (await ok(app, 'GET', `/v1/admin/mail?returnId=${a.id}`, undefined, admin)).items as Array<{ kind: string; status: string; attempts: number; messageId: string }>;
      return list.length === 4 && list.every((m) => m.status === 'sent') ? list : undefined;
    }, 'all mails sent');
    expect(mails.map((m) => m.kind).sort()).toEqual(['reply', 'return_notice', 'third_party_copy', 'third_party_invite']);
    expect(mails.every((m) => m.attempts === 1 && m.messageId.length > 0)).toBe(true);
  });
});
