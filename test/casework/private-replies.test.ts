// A reply not visible to the client never leaves ponte: refused before anything is written
// when it asks to be e-mailed or copied to third parties, so no mail reaches the SMTP server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startPonte, type Ponte } from '../support/ponte.js';
import { startSmtpSink, type SmtpSink } from '../mail/smtp-sink.js';
import { call, createReturn, ok, paths } from './fixtures.js';

const ACCOUNTANT = 'contador@escritorio.example';

describe('private replies stay in ponte', () => {
  let ponte: Ponte;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    ponte = await startPonte('postgres', { env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://ponte.example' } });
  }, 120_000);

  afterAll(async () => {
    await ponte?.close();
    await smtp?.close();
  });

  it('a private reply with copyThirdParties or sendByEmail answers 400 and no mail reaches the SMTP server', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'question');
    await ok(app, 'POST', `/v1/returns/${r.id}/third-parties`, { email: ACCOUNTANT, name: 'Contador' });
    await eventually(async () => smtp.to(ACCOUNTANT).length === 1, 'the invitation');

    const copied = await call(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Nota interna: cliente devedor', visibleToClient: false, copyThirdParties: true });
    expect(copied.status).toBe(400);
    expect(paths(copied.body.error.details)).toEqual(['copyThirdParties']);
    const both = await call(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Nota interna: cliente devedor', visibleToClient: false, copyThirdParties: true, sendByEmail: true });
    expect(both.status).toBe(400);
    expect(paths(both.body.error.details)).toEqual(['sendByEmail', 'copyThirdParties']);

    // A visible reply copied afterwards arrives: the SMTP path works, and only that one went out.
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Resposta ao cliente', copyThirdParties: true, sendByEmail: true });
    await eventually(async () => smtp.to(ACCOUNTANT).length === 2 && smtp.to('joao@padaria.example').some((m) => m.mail.text?.includes('Resposta ao cliente')), 'the visible reply');
    expect(smtp.received.some((m) => (m.mail.text ?? '').includes('Nota interna'))).toBe(false);
    const view = await ok(app, 'GET', `/v1/returns/${r.id}`);
    expect(view.timeline.filter((e: { text: string }) => e.text.includes('Nota interna'))).toEqual([]);
  });

  it('a private reply without mail options is kept for agents only', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'question', { clientEmail: 'privado@cliente.example' });
    const note = await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Só para a equipe', visibleToClient: false });
    expect(note.visibleToClient).toBe(false);
    const client = await call(app, 'GET', `/v1/portal/returns/${r.id}?token=${encodeURIComponent(r.portalToken)}`, undefined, {});
    expect(JSON.stringify(client.body)).not.toContain('Só para a equipe');
    await eventually(async () => smtp.to('privado@cliente.example').length === 1, 'the notice');
    expect(smtp.to('privado@cliente.example').some((m) => (m.mail.text ?? '').includes('Só para a equipe'))).toBe(false);
  });
});
