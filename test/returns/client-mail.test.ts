// Returns and the client's e-mail (seeds 000/002), through a real SMTP server: a resend of an
// expired return extends it or is refused; an answer by e-mail after expiry is recorded, not
// applied, and the client told; a stranger's mail is held until an agent accepts it; each
// mail's outcome (sent, bounced, failed) is on the timeline; a reply's files travel in the
// e-mail up to MAIL_ATTACHMENT_MAX_BYTES, and as links beyond.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, startPonte, type Ponte } from '../support/ponte.js';
import { startSmtpSink, type SmtpSink } from '../mail/smtp-sink.js';
import { call, createReturn, inDays, multipart, ok, portal, settableClock } from './fixtures.js';
import { insertSubscription } from '../../src/webhooks/store.js';

type Entry = { id: string; event?: string; kind: string; visibleToClient: boolean; data: Record<string, unknown>; text: string; mail?: Array<{ status: string; to: string }> };
const timeline = async (ponte: Ponte, id: string): Promise<Entry[]> => (await ok(ponte.app, 'GET', `/v1/returns/${id}`)).timeline;

describe('returns and the client\'s e-mail', () => {
  let ponte: Ponte;
  let smtp: SmtpSink;
  const clock = settableClock();

  beforeAll(async () => {
    smtp = await startSmtpSink();
    ponte = await startPonte('postgres', { clock, env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://ponte.example', MAIL_ATTACHMENT_MAX_BYTES: '5000' } });
    // Someone listens for return.answered, so an answer that was applied shows in the outbox.
    await insertSubscription(ponte.deps.db, { url: 'https://hooks.example.com/ponte', events: ['return.answered'], secret: 'whsec_test', createdBy: 'test' });
  }, 120_000);
  afterAll(async () => {
    await ponte?.close();
    await smtp?.close();
  });

  it('resending an expired return is 409 RETURN_EXPIRED unless the same call extends it; the new link opens', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'question', { clientEmail: 'expira@cliente.example', validUntil: inDays(1, clock.now()) });
    clock.advanceDays(2);
    const refused = await call(app, 'POST', `/v1/returns/${r.id}/resend`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'RETURN_EXPIRED']);
    const past = await call(app, 'POST', `/v1/returns/${r.id}/resend`, { validUntil: inDays(-1, clock.now()) });
    expect([past.status, past.body.error.details[0].path]).toEqual([400, 'validUntil']);
    const until = inDays(10, clock.now());
    expect((await call(app, 'POST', `/v1/returns/${r.id}/resend`, { validUntil: until })).status).toBe(202);
    expect((await ok(app, 'GET', `/v1/returns/${r.id}`)).validUntil).toBe(new Date(until).toISOString());
    const mail = await eventually(async () => smtp.to('expira@cliente.example').find((m) => m.mail.subject?.startsWith('Lembrete')), 'the resent notice');
    const token = decodeURIComponent(/\?token=([A-Za-z0-9_%-]+)/.exec(mail.mail.text ?? '')![1]!);
    expect((await portal(app, 'GET', r.id, token)).status).toBe(200);
    const history = (await ok(app, 'GET', `/v1/returns/${r.id}/history`)).items.find((h: { action: string }) => h.action === 'return.resent');
    expect(history.changes.validUntil.to).toBe(new Date(until).toISOString());
  });

  it('an e-mailed answer after expiry is recorded, not applied, and the client is told', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'question', { clientEmail: 'tarde@cliente.example', crmProcessNumber: '10000001', validUntil: inDays(1, clock.now()) });
    clock.advanceDays(2);
    const late = await call(app, 'POST', `/v1/returns/${r.id}/inbound-email`, { from: 'Cliente <tarde@cliente.example>', rawText: 'Sim, pode atualizar.' });
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ event: 'late_answer', data: { late: true } });
    const view = await ok(app, 'GET', `/v1/returns/${r.id}`);
    expect(view.status).toBe('open');
    expect(view.integrations).toEqual([]);
    const told = await eventually(async () => smtp.to('tarde@cliente.example').find((m) => m.mail.text?.includes('não pôde ser considerada')), 'the late-answer notice');
    expect(told.mail.text).toMatch(/disponível até \d\d\/\d\d\/\d{4} \d\d:\d\d \(horário de Brasília\)/);
  });

  it("a stranger's mail is held on the timeline, never sent to the ERP, until an agent accepts it", async () => {
    const { app, deps } = ponte;
    const r = await createReturn(app, 'question', { clientEmail: 'dono@cliente.example', crmProcessNumber: '10000001' });
    const held = await call(app, 'POST', `/v1/returns/${r.id}/inbound-email`, { from: 'intruso@outro.example', rawText: 'Cancelem tudo.' });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ event: 'held', visibleToClient: false, data: { held: true, from: 'intruso@outro.example' } });
    let view = await ok(app, 'GET', `/v1/returns/${r.id}`);
    expect([view.status, view.integrations]).toEqual(['open', []]);
    expect(JSON.stringify((await portal(app, 'GET', r.id, r.portalToken)).body)).not.toContain('Cancelem tudo');
    const { rows } = await deps.db.query("SELECT 1 FROM outbox WHERE payload->'event'->>'type' = 'return.answered' AND payload->'event'->'data'->>'returnId' = $1", [r.id]);
    expect(rows).toEqual([]);

    const accepted = await ok(app, 'POST', `/v1/returns/${r.id}/timeline/${held.body.id}/accept`, {});
    expect(accepted).toMatchObject({ visibleToClient: true, data: { held: false, acceptedBy: 'helpdesk' } });
    view = await ok(app, 'GET', `/v1/returns/${r.id}`);
    expect(view.status).toBe('awaiting_agent');
    expect(view.integrations).toHaveLength(1);
    const answered = await deps.db.query("SELECT 1 FROM outbox WHERE payload->'event'->>'type' = 'return.answered' AND payload->'event'->'data'->>'returnId' = $1", [r.id]);
    expect(answered.rows).toHaveLength(1);
    const again = await call(app, 'POST', `/v1/returns/${r.id}/timeline/${held.body.id}/accept`, {});
    expect([again.status, again.body.error.code]).toEqual([409, 'ENTRY_NOT_HELD']);

    // An invited third party's mail is not a stranger's: it is applied at once.
    await ok(app, 'POST', `/v1/returns/${r.id}/third-parties`, { email: 'contador@escritorio.example' });
    const party = await call(app, 'POST', `/v1/returns/${r.id}/inbound-email`, { from: 'contador@escritorio.example', rawText: 'Confirmo pelo cliente.' });
    expect(party.body.event).toBeUndefined();
    expect((await ok(app, 'GET', `/v1/returns/${r.id}`)).integrations).toHaveLength(2);
  });

  it("shows each mail's outcome on the timeline: sent, bounced (refused recipient or reported later)", async () => {
    const { app } = ponte;
    smtp.reject('ninguem@cliente.example');
    const bounced = await createReturn(app, 'notice', { clientEmail: 'ninguem@cliente.example' });
    const sent = await createReturn(app, 'notice', { clientEmail: 'alguem@cliente.example' });
    const outcome = async (id: string) => (await timeline(ponte, id)).find((e) => e.event === 'notice_queued')!.mail![0]!.status;
    await eventually(async () => (await outcome(bounced.id)) === 'bounced', 'the notice to bounce');
    await eventually(async () => (await outcome(sent.id)) === 'sent', 'the notice to be sent');
    expect((await timeline(ponte, bounced.id)).find((e) => e.event === 'mail_bounced')).toMatchObject({ visibleToClient: false, text: 'E-mail para ninguem@cliente.example devolvido: o servidor do destinatário recusou a mensagem.' });

    const [mail] = (await ok(app, 'GET', `/v1/admin/mail?returnId=${sent.id}`, undefined, auth('admin'))).items;
    const report = await call(app, 'POST', '/v1/mail/bounces', { messageId: mail.messageId, reason: '550 5.1.1 caixa cheia' });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ status: 'bounced', lastError: '550 5.1.1 caixa cheia' });
    expect(await outcome(sent.id)).toBe('bounced');
    expect((await call(app, 'POST', '/v1/mail/bounces', { messageId: '<nao-existe@ponte.example>' })).status).toBe(404);
  });

  it("a reply's files arrive in the e-mail; files too large for it arrive as links that open", async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'question', { clientEmail: 'anexo@cliente.example' });
    const upload = async (files: Parameters<typeof multipart>[0]) => (await app.inject({ method: 'POST', url: `/v1/returns/${r.id}/attachments`, ...multipart(files) })).json().items as Array<{ id: string }>;
    const small = await upload([{ filename: 'boleto.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4 boleto') }]);
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Segue o boleto.', sendByEmail: true, attachmentIds: small.map((f) => f.id) });
    const withFile = await eventually(async () => smtp.to('anexo@cliente.example').find((m) => m.mail.text?.includes('Segue o boleto.')), 'the reply with its file');
    expect(withFile.mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['boleto.pdf', '%PDF-1.4 boleto']]);

    const big = await upload([{ filename: 'manual.pdf', type: 'application/pdf', content: Buffer.alloc(6000, 65) }]);
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Segue o manual.', sendByEmail: true, attachmentIds: big.map((f) => f.id) });
    const withLink = await eventually(async () => smtp.to('anexo@cliente.example').find((m) => m.mail.text?.includes('Segue o manual.')), 'the reply with a link');
    expect(withLink.mail.attachments).toEqual([]);
    const url = new URL(/https:\/\/ponte\.example\S+/.exec(withLink.mail.text ?? '')![0]);
    expect(url.pathname).toBe(`/v1/portal/returns/${r.id}/attachments/${big[0]!.id}`);
    const download = await app.inject({ method: 'GET', url: url.pathname + url.search });
    expect([download.statusCode, download.body.length]).toEqual([200, 6000]);
    // The file's token opens that file only.
    const other = await app.inject({ method: 'GET', url: `/v1/portal/returns/${r.id}/attachments/${small[0]!.id}${url.search}` });
    expect(other.statusCode).toBe(404);
    // The stored mail never held the link: it was put in at send time and is gone now.
    const { rows } = await ponte.deps.db.query<{ text: string; html: string; secret_link: string | null }>(
      "SELECT text, html, secret_link FROM mail_messages WHERE return_id = $1 AND text LIKE '%Segue o manual.%'", [r.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text + rows[0]!.html).not.toContain(url.searchParams.get('token')!);
    expect(rows[0]!.text + rows[0]!.html).not.toContain(url.pathname);
    expect(rows[0]!.secret_link).toBeNull();
  });
});
