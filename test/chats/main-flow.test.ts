// The chat screen end to end (seed 001): two agents and a client through queue → accept →
// messages → transfer (accepted, private notes, completed) → transfer back → another department → close by an
// unanswered invitation → integration into the ERP.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startPonte, type Mode, type Ponte } from '../support/ponte.js';
import { SEED } from '../../connectors/bimer/sandbox/seed.js';
import { call, ok, seedTeam, startChat } from './fixtures.js';

const MAIN_MODES: Mode[] = ['embedded', 'redis'];

describe.each(MAIN_MODES)('a chat from queue to ERP integration (%s)', (mode) => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte(mode, { env: { CLOSE_INVITE_TIMEOUT_MS: '300' } });
    await seedTeam(ponte.app);
  });
  afterAll(async () => ponte?.close());

  it('runs the whole chat and integrates it once closed', async () => {
    const { app } = ponte;
    const chat = await startChat(app);
    expect(chat).toMatchObject({ status: 'queued', departmentId: 'support', agentId: null });
    expect((await ok(app, 'GET', '/v1/chats?status=queued&departmentId=support')).items.map((c: { id: string }) => c.id)).toContain(chat.id);

    // Ana takes it from the queue; the client and Ana talk; Bruno cannot speak in her chat.
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'ana' })).toMatchObject({ status: 'active', agentId: 'ana' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'client', text: 'A nota fiscal não sai.' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'agent', agentId: 'ana', text: 'Vou verificar.' });
    const intruder = await call(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'agent', agentId: 'bruno', text: 'Oi' });
    expect(intruder.status).toBe(403);
    expect(intruder.body.error.code).toBe('NOT_CHAT_AGENT');

    // Transfer to Bruno: he finds it in his incoming transfers, accepts, the two agents exchange
    // private notes, then he completes it ("Atender").
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/transfer`, { agentId: 'ana', toAgentId: 'bruno' })).toMatchObject({ status: 'transfer_pending', transferToAgentId: 'bruno' });
    expect((await ok(app, 'GET', '/v1/chats?transferTo=bruno')).items.map((c: { id: string }) => c.id)).toEqual([chat.id]);
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/accept`, { agentId: 'bruno' })).toMatchObject({ status: 'transfer_pending', agentId: 'ana', transfer: { toAgentId: 'bruno' } });
    await ok(app, 'POST', `/v1/chats/${chat.id}/notes`, { agentId: 'ana', text: 'Rejeição 539 da SEFAZ, já pedi o XML.' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/notes`, { agentId: 'bruno', text: 'Certo, assumo.' });
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/transfer/complete`, { agentId: 'bruno' })).toMatchObject({ status: 'active', agentId: 'bruno', lastAgentId: 'ana', transferBackToAgentId: 'ana' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'agent', agentId: 'bruno', text: 'Olá, sou o Bruno.' });

    // Back to the last operator, then to the sales department's queue, where Carla takes it.
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/transfer-back`, { agentId: 'bruno' })).toMatchObject({ status: 'active', agentId: 'ana', lastAgentId: 'bruno' });
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/queue`, { agentId: 'ana', departmentId: 'sales' })).toMatchObject({ status: 'queued', departmentId: 'sales', agentId: null });
    expect(await ok(app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'carla' })).toMatchObject({ status: 'active', agentId: 'carla' });
    await ok(app, 'PUT', `/v1/chats/${chat.id}/advance-opinion`, { text: 'Cliente com rejeição 539; XML solicitado.' });

    // Close by invitation; nobody answers, the timer closes it.
    const invited = await ok(app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'carla' });
    expect(invited).toMatchObject({ status: 'closing', closeInvite: { number: 1 } });
    const closed = await eventually(async () => {
      const c = await ok(app, 'GET', `/v1/chats/${chat.id}`);
      return c.status === 'closed' && c;
    }, 'the close invitation to time out');
    expect(closed.closedAt).toBeTruthy();

    // The client's transcript never shows the agents' notes.
    const transcript = await call(app, 'GET', `/v1/chats/${chat.id}/transcript?format=text`);
    expect(transcript.res.headers['content-type']).toContain('text/plain');
    expect(transcript.body).toContain('A nota fiscal não sai.');
    expect(transcript.body).toContain('Olá, sou o Bruno.');
    expect(transcript.body).not.toContain('Rejeição 539');
    expect(transcript.body).not.toContain('assumo');
    const all = await ok(app, 'GET', `/v1/chats/${chat.id}/messages`);
    expect(all.items.filter((m: { private: boolean }) => m.private).map((m: { text: string }) => m.text)).toEqual(
      expect.arrayContaining(['Rejeição 539 da SEFAZ, já pedi o XML.', 'Certo, assumo.']),
    );

    // The integration form is available and the integration reaches the ERP.
    const form = await ok(app, 'GET', `/v1/chats/${chat.id}/integration-form`);
    expect(form.available).toBe(true);
    expect(form.prefill.opinion).toContain('XML solicitado');
    const accepted = await call(app, 'POST', `/v1/chats/${chat.id}/integrations`, {
      clientCode: '000012', productId: SEED.products.erp, caseTypeId: SEED.caseTypes.support, closeCase: true,
      responsibilityCenterId: SEED.centers.support, subject: 'Rejeição 539 na NF-e',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const done = await eventually(async () => {
      const i = await ok(app, 'GET', `/v1/integrations/${accepted.body.id}`);
      return i.status === 'succeeded' && i;
    }, 'the integration to succeed');
    expect(done.erpProcessNumber).toBeTruthy();
  });
});
