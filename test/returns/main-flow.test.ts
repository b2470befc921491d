// A question return from creation to the ERP: template, manual and interaction replies with
// visibility, the client's portal answer added as an opinion to the sandbox ERP's process,
// close, a client e-mail reopening it, manual reopen and the history — in two runtime modes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startPonte, eventually, type Mode, type Ponte } from '../support/ponte.js';
import { SANDBOX_CREDENTIALS, SEED, startBimerSandbox, type BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { call, createReturn, ok, portal } from './fixtures.js';

const MAIN_MODES: Mode[] = ['embedded', 'redis'];

describe.each(MAIN_MODES)('returns main flow (%s)', (mode) => {
  let ponte: Ponte;
  let sandbox: BimerSandbox;

  beforeAll(async () => {
    sandbox = await startBimerSandbox();
    ponte = await startPonte(mode, {
      env: {
        BIMER_URL: sandbox.url,
        BIMER_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
        BIMER_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
        BIMER_USERNAME: SANDBOX_CREDENTIALS.username,
        BIMER_PASSWORD: SANDBOX_CREDENTIALS.password,
        PUBLIC_URL: 'https://ponte.example',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await ponte?.close();
    await sandbox?.close();
  });

  const opinionsOf = (ref: string) => sandbox.state.cases.find((c) => c.Numero === SEED.openProcess)!.Pareceres.filter((p) => p.ReferenciaExterna === ref);

  it('runs a question return through replies, the portal answer, the ERP opinion, close and reopen', async () => {
    const { app } = ponte;
    const template = await ok(app, 'POST', '/v1/reply-templates', { name: 'Pergunta padrão', text: 'Olá {{contactPerson}}, **podemos seguir** com "{{subject}}"?', format: 'markdown' });

    const created = await createReturn(app, 'question', { crmProcessNumber: SEED.openProcess, subject: 'Atualização do ERP' });
    expect(created).toMatchObject({ status: 'open', type: 'question', clientEmail: 'joao@padaria.example', clientCode: '000012', crmProcessNumber: SEED.openProcess, portalTokenActive: true });
    expect(created.portalToken.length).toBeGreaterThanOrEqual(43);
    expect(created.portalUrl).toBe(`https://ponte.example/v1/portal/returns/${created.id}?token=${created.portalToken}`);
    const id = created.id;

    // Template reply asking the client: awaiting_client.
    const asked = await ok(app, 'POST', `/v1/returns/${id}/messages`, { templateId: template.id, awaitReply: true, nextActionAt: '2030-01-02T09:00:00Z' });
    expect(asked).toMatchObject({ replyKind: 'template', visibleToClient: true, awaitReply: true, templateId: template.id, nextActionAt: '2030-01-02T09:00:00.000Z' });
    expect(asked.html).toContain('<strong>podemos seguir</strong>');
    expect(asked.text).toContain('Olá João');
    expect((await ok(app, 'GET', `/v1/returns/${id}`)).status).toBe('awaiting_client');

    // An internal manual reply and two interactions, one of them shown to the client.
    const internal = await ok(app, 'POST', `/v1/returns/${id}/messages`, { text: 'Nota interna: cliente prefere sexta.', visibleToClient: false, authorName: 'Ana' });
    expect(internal).toMatchObject({ replyKind: 'manual', visibleToClient: false, author: { kind: 'agent', name: 'Ana' } });
    const phone = await ok(app, 'POST', `/v1/returns/${id}/interactions`, { channel: 'phone', text: 'Ligação: cliente vai responder pelo portal.' });
    expect(phone).toMatchObject({ kind: 'interaction', channel: 'phone', visibleToClient: false });
    const chatbot = await ok(app, 'POST', `/v1/returns/${id}/interactions`, { channel: 'chatbot', text: 'Resumo do chatbot enviado.', visibleToClient: true });

    // The portal shows the client-visible timeline only.
    const seen = await portal(app, 'GET', id, created.portalToken);
    expect(seen.status).toBe(200);
    const seenIds = seen.body.timeline.map((e: { id: string }) => e.id);
    expect(seenIds).toContain(asked.id);
    expect(seenIds).toContain(chatbot.id);
    expect(seenIds).not.toContain(internal.id);
    expect(seenIds).not.toContain(phone.id);
    expect(seen.raw).not.toContain('Nota interna');

    // The client answers: awaiting_agent, and an opinion integration on the ERP process.
    const answer = await portal(app, 'POST', id, created.portalToken, '/answer', { text: 'Sim, pode ser na sexta.' });
    expect(answer.status).toBe(201);
    const afterAnswer = await ok(app, 'GET', `/v1/returns/${id}`);
    expect(afterAnswer.status).toBe('awaiting_agent');
    const answerEntry = afterAnswer.timeline.find((e: { id: string }) => e.id === answer.body.id);
    expect(answerEntry).toMatchObject({ kind: 'message', author: { kind: 'client', name: 'joao@padaria.example' }, channel: 'portal', text: 'Sim, pode ser na sexta.' });
    const integrationId = answerEntry.integrationId as string;
    expect(integrationId).toBeTruthy();
    expect(afterAnswer.integrations).toEqual([expect.objectContaining({ id: integrationId, kind: 'opinion' })]);

    const done = await eventually(async () => {
      const i = await ok(app, 'GET', `/v1/integrations/${integrationId}`);
      return i.status === 'succeeded' ? i : undefined;
    }, 'the opinion integration to succeed');
    expect(done).toMatchObject({ returnId: id, kind: 'opinion', erpProcessNumber: SEED.openProcess });
    const opinions = opinionsOf(integrationId);
    expect(opinions).toHaveLength(1);
    expect(opinions[0]!.Texto).toBe('Resposta ao retorno "Atualização do ERP" (cliente joao@padaria.example):\nSim, pode ser na sexta.');

    // Close; closing twice is refused naming the state.
    expect((await ok(app, 'POST', `/v1/returns/${id}/close`)).status).toBe('closed');
    const again = await call(app, 'POST', `/v1/returns/${id}/close`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ILLEGAL_RETURN_MOVE' });
    expect(again.body.error.message).toContain('closed');

    // A client e-mail reopens it; only the new text shows, the quoted history is collapsed.
    const mail = await call(app, 'POST', `/v1/returns/${id}/inbound-email`, {
      from: 'joao@padaria.example',
      rawText: 'Esqueci: pode ser depois das 14h.\n\nEm seg., 6 de jan. de 2025 às 10:00, Suporte <suporte@ponte.example> escreveu:\n> Podemos seguir com a atualização?\n',
    }, auth('erp'));
    expect(mail.status, mail.raw).toBe(201);
    expect(mail.body).toMatchObject({ text: 'Esqueci: pode ser depois das 14h.', quotedCollapsed: true, channel: 'email' });
    expect(mail.body.quoted).toBeUndefined();
    const expanded = await ok(app, 'GET', `/v1/returns/${id}/timeline/${mail.body.id}?expand=true`);
    expect(expanded).toMatchObject({ quotedCollapsed: false });
    expect(expanded.quoted).toContain('Podemos seguir com a atualização?');
    const reopened = await ok(app, 'GET', `/v1/returns/${id}`);
    expect(reopened.status).toBe('awaiting_agent');
    expect(reopened.closedAt).toBeNull();
    expect(reopened.timeline.some((e: { event?: string; author: { kind: string } }) => e.event === 'reopened' && e.author.kind === 'system')).toBe(true);
    await eventually(async () => opinionsOf(mail.body.integrationId).length === 1, 'the e-mail answer in the ERP');

    // Close, then reopen by hand; reopening an open return is refused.
    await ok(app, 'POST', `/v1/returns/${id}/close`);
    expect((await ok(app, 'POST', `/v1/returns/${id}/reopen`)).status).toBe('open');
    const reopenTwice = await call(app, 'POST', `/v1/returns/${id}/reopen`);
    expect(reopenTwice.status).toBe(409);
    expect(reopenTwice.body.error.details[0]).toMatchObject({ current: 'open', allowed: ['closed'] });

    // The history says who changed what, when.
    const history = (await ok(app, 'GET', `/v1/returns/${id}/history`)).items as Array<{ actor: string; action: string; changes: Record<string, { from: unknown; to: unknown }>; at: string }>;
    expect(history.map((h) => h.action)).toEqual([
      'return.created', 'return.replied', 'return.replied', 'return.interaction_recorded', 'return.interaction_recorded',
      'return.answered', 'return.closed', 'return.answered', 'return.closed', 'return.reopened',
    ]);
    expect(history[0]).toMatchObject({ actor: 'helpdesk', changes: { type: { from: null, to: 'question' } } });
    expect(history[1]!.changes.status).toEqual({ from: 'open', to: 'awaiting_client' });
    expect(history[5]).toMatchObject({ actor: 'portal:joao@padaria.example', changes: { status: { from: 'awaiting_client', to: 'awaiting_agent' } } });
    expect(history[7]).toMatchObject({ actor: 'erp', changes: { status: { from: 'closed', to: 'awaiting_agent' } } });
    expect(history[9]).toMatchObject({ actor: 'helpdesk', changes: { status: { from: 'closed', to: 'open' } } });
  });
});
