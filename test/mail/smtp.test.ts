// E-mail out through a real SMTP server on 127.0.0.1: the notice with its portal link, a
// resend with a new link (the old one stops working), replies e-mailed to the client, retries
// after a temporary refusal, a refused recipient recorded as bounced, retries exhausted as failed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eventually, startPonte, auth, type Ponte } from '../support/ponte.js';
import { call, createReturn, ok, portal } from '../returns/fixtures.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

const admin = auth('admin');

type Mail = { id: string; kind: string; status: string; attempts: number; lastError: string | null; to: string; sentAt: string | null };

describe('e-mail through SMTP', () => {
  let ponte: Ponte;
  let app: FastifyInstance;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    ponte = await startPonte('postgres', { env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://ponte.example' } });
    app = ponte.app;
  }, 120_000);

  afterAll(async () => {
    await ponte?.close();
    await smtp?.close();
  });

  const mailsOf = async (returnId: string) => (await ok(app, 'GET', `/v1/admin/mail?returnId=${returnId}`, undefined, admin)).items as Mail[];

  it('sends the notice with the portal link; a resend carries a new link and the old one stops working', async () => {
    const r = await createReturn(app, 'notice', { clientEmail: 'resend@cliente.example', subject: 'Preço 5 > 3 & "já"', description: 'Linha 1\n<script>x()</script>' });
    const first = await eventually(async () => smtp.to('resend@cliente.example')[0], 'the notice');
    expect(first.mail.subject).toBe('Novo retorno: Preço 5 > 3 & "já"');
    expect(first.mail.text).toContain(r.portalUrl);
    expect(first.mail.html).toContain('Preço 5 &gt; 3 &amp; &quot;já&quot;');
    expect(first.mail.html).not.toContain('<script>');

    expect((await call(app, 'POST', `/v1/returns/${r.id}/resend`)).status).toBe(202);
    const second = await eventually(async () => smtp.to('resend@cliente.example').find((m) => m.mail.subject?.startsWith('Lembrete')), 'the resent notice');
    expect(second.mail.subject).toBe('Lembrete: Preço 5 > 3 & "já"');
    const link = /https:\/\/ponte\.example\/v1\/portal\/returns\/[^\s?]+\?token=([A-Za-z0-9_%-]+)/.exec(second.mail.text ?? '');
    expect(link).not.toBeNull();
    const newToken = decodeURIComponent(link![1]!);
    expect(newToken).not.toBe(r.portalToken);
    expect(second.mail.text).toContain('o link enviado antes não funciona mais');
    expect((await portal(app, 'GET', r.id, newToken)).status).toBe(200);
    expect((await portal(app, 'GET', r.id, r.portalToken)).status).toBe(404);

    const view = await ok(app, 'GET', `/v1/returns/${r.id}`);
    expect(view.timeline.find((e: { event?: string }) => e.event === 'resent').data).toMatchObject({ portalLinkRenewed: true });
    const history = (await ok(app, 'GET', `/v1/returns/${r.id}/history`)).items;
    expect(history.find((h: { action: string }) => h.action === 'return.resent').changes).toEqual({ portalLink: { from: 'previous', to: 'renewed' } });
    const mails = await eventually(async () => ((await mailsOf(r.id)).every((m) => m.status === 'sent') ? mailsOf(r.id) : undefined), 'both sent');
    expect(mails.map((m) => [m.kind, m.status, m.to])).toEqual([['return_notice', 'sent', 'resend@cliente.example'], ['return_notice', 'sent', 'resend@cliente.example']]);
  });

  it('a resend after the portal access was revoked carries no link', async () => {
    const r = await createReturn(app, 'notice', { clientEmail: 'revoked@cliente.example' });
    await ok(app, 'POST', `/v1/returns/${r.id}/portal-token/revoke`);
    await ok(app, 'POST', `/v1/returns/${r.id}/resend`);
    const resent = await eventually(async () => smtp.to('revoked@cliente.example').find((m) => m.mail.subject?.startsWith('Lembrete')), 'the resent notice');
    expect(resent.mail.text).not.toContain('/v1/portal/returns/');
    expect(resent.mail.text).toContain('acesso a este retorno pelo portal foi encerrado');
    expect((await ok(app, 'GET', `/v1/returns/${r.id}`)).portalTokenActive).toBe(false);
  });

  it('e-mails a reply marked sendByEmail, and only that one', async () => {
    const r = await createReturn(app, 'notice', { clientEmail: 'reply@cliente.example', subject: 'Boleto' });
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Sem e-mail' });
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Segue o **boleto** [aqui](https://pay.example/1).', format: 'markdown', sendByEmail: true, authorName: 'Ana' });
    const reply = await eventually(async () => smtp.to('reply@cliente.example').find((m) => m.mail.subject === 'Re: Boleto'), 'the reply');
    expect(reply.mail.html).toContain('<strong>boleto</strong>');
    expect(reply.mail.html).toContain('href="https://pay.example/1"');
    expect(reply.mail.text).toContain('— Ana');
    await eventually(async () => (await mailsOf(r.id)).length === 2 && (await mailsOf(r.id)).every((m) => m.status === 'sent'), 'notice and reply sent');
    expect(smtp.to('reply@cliente.example').some((m) => m.mail.text?.includes('Sem e-mail'))).toBe(false);
  });

  it('retries a temporary refusal and records each attempt', async () => {
    smtp.failNext('later@cliente.example', 1);
    const r = await createReturn(app, 'notice', { clientEmail: 'later@cliente.example' });
    const [mail] = await eventually(async () => {
      const list = await mailsOf(r.id);
      return list[0]?.status === 'sent' ? list : undefined;
    }, 'the mail sent on retry');
    expect(mail).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(smtp.to('later@cliente.example')).toHaveLength(1);
  });

  it('a refused recipient bounces the mail at once with the server answer', async () => {
    smtp.reject('nobody@cliente.example');
    const r = await createReturn(app, 'notice', { clientEmail: 'nobody@cliente.example' });
    const [mail] = await eventually(async () => {
      const list = await mailsOf(r.id);
      return list[0]?.status === 'bounced' ? list : undefined;
    }, 'the mail bounced');
    expect(mail!.attempts).toBe(1);
    expect(mail!.lastError).toContain('550');
    const one = await ok(app, 'GET', `/v1/admin/mail/${mail!.id}`, undefined, admin);
    expect(one).toMatchObject({ id: mail!.id, status: 'bounced', sentAt: null });
  });

  it('a mail refused on every attempt ends failed, and the return\'s timeline says so', async () => {
    smtp.failNext('sempre@cliente.example', 50);
    const r = await createReturn(app, 'notice', { clientEmail: 'sempre@cliente.example' });
    const [mail] = await eventually(async () => {
      const list = await mailsOf(r.id);
      return list[0]?.status === 'failed' ? list : undefined;
    }, 'the mail to fail after its retries', 60_000);
    expect(mail!.attempts).toBeGreaterThan(1);
    const view = await ok(app, 'GET', `/v1/returns/${r.id}`);
    expect(view.timeline.find((e: { event?: string }) => e.event === 'notice_queued').mail).toEqual([expect.objectContaining({ status: 'failed', to: 'sempre@cliente.example' })]);
    expect(view.timeline.find((e: { event?: string }) => e.event === 'mail_failed')).toMatchObject({ visibleToClient: false });
  });
});
