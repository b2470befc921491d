// The client portal: a token opens only its own return; no token → 401, a wrong, revoked or
// other return's token → 404, past validUntil → 410; rotation; opening a chat from a return.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startPonte, type Ponte } from '../support/ponte.js';
import { call, createReturn, inDays, ok, portal, settableClock } from './fixtures.js';

describe('client portal', () => {
  let ponte: Ponte;
  const clock = settableClock();

  beforeAll(async () => {
    ponte = await startPonte('postgres', { clock, workers: false });
  }, 60_000);
  afterAll(async () => ponte?.close());

  it('stores only the SHA-256 of the token', async () => {
    const r = await createReturn(ponte.app, 'notice');
    const { rows } = await ponte.deps.db.query('SELECT portal_token_hash FROM returns WHERE id = $1', [r.id]);
    expect(rows[0]!.portal_token_hash).toBe(createHash('sha256').update(r.portalToken).digest('hex'));
    const dump = JSON.stringify((await ponte.deps.db.query('SELECT * FROM return_timeline WHERE return_id = $1', [r.id])).rows);
    expect(dump).not.toContain(r.portalToken);
  });

  it('a token sees only its own return; missing → 401, wrong or foreign → 404', async () => {
    const { app } = ponte;
    const a = await createReturn(app, 'custom', { subject: 'Retorno A' });
    const b = await createReturn(app, 'custom', { subject: 'Retorno B' });

    const own = await portal(app, 'GET', a.id, a.portalToken);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: a.id, subject: 'Retorno A', contactPerson: 'João' });
    expect(own.body).not.toHaveProperty('createdBy');

    expect((await portal(app, 'GET', a.id, undefined)).status).toBe(401);
    expect((await portal(app, 'GET', a.id, '')).status).toBe(401);
    const foreign = await portal(app, 'GET', a.id, b.portalToken);
    expect(foreign.status).toBe(404);
    const wrong = await portal(app, 'GET', a.id, 'x'.repeat(43));
    expect(wrong.status).toBe(404);
    // An unknown return answers exactly like a wrong token: existence is not revealed.
    const unknown = await portal(app, 'GET', '00000000-0000-4000-8000-000000000000', a.portalToken);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe(wrong.body.error.code);
    expect((await portal(app, 'POST', a.id, b.portalToken, '/answer', { text: 'oi' })).status).toBe(404);
    expect((await portal(app, 'POST', a.id, undefined, '/answer', { text: 'oi' })).status).toBe(401);

    // The header works as well as the query.
    const byHeader = await call(app, 'GET', `/v1/portal/returns/${b.id}`, undefined, { 'x-portal-token': b.portalToken });
    expect(byHeader.status).toBe(200);
  });

  it('past validUntil the portal answers 410 RETURN_EXPIRED', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'question', { validUntil: inDays(2, clock.now()) });
    clock.advanceDays(3);
    try {
      const seen = await portal(app, 'GET', r.id, r.portalToken);
      expect(seen.status).toBe(410);
      expect(seen.body.error.code).toBe('RETURN_EXPIRED');
      expect((await portal(app, 'POST', r.id, r.portalToken, '/answer', { text: 'tarde demais' })).status).toBe(410);
      // A wrong token still gets 404, expired or not.
      expect((await portal(app, 'GET', r.id, 'y'.repeat(43))).status).toBe(404);
      expect((await ok(app, 'GET', `/v1/returns/${r.id}`)).expired).toBe(true);
    } finally {
      clock.advanceDays(-3);
    }
  });

  it('revoking the token closes the portal (404); rotating gives a new one and kills the old', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'notice');
    const rotated = await ok(app, 'POST', `/v1/returns/${r.id}/portal-token/rotate`);
    expect(rotated.portalToken).not.toBe(r.portalToken);
    expect(rotated.portalUrl).toContain(rotated.portalToken);
    expect((await portal(app, 'GET', r.id, r.portalToken)).status).toBe(404);
    expect((await portal(app, 'GET', r.id, rotated.portalToken)).status).toBe(200);

    const revoked = await ok(app, 'POST', `/v1/returns/${r.id}/portal-token/revoke`);
    expect(revoked.portalTokenActive).toBe(false);
    expect((await portal(app, 'GET', r.id, rotated.portalToken)).status).toBe(404);
    const history = (await ok(app, 'GET', `/v1/returns/${r.id}/history`)).items.map((h: { action: string }) => h.action);
    expect(history).toEqual(['return.created', 'return.portal_token_rotated', 'return.portal_token_revoked']);
  });

  it("opens a chat queued in the return's department, once while it is open", async () => {
    const { app, deps } = ponte;
    const r = await createReturn(app, 'question', { departmentId: 'sales', contactPerson: 'Maria' });
    const opened = await portal(app, 'POST', r.id, r.portalToken, '/chat');
    expect(opened.status).toBe(201);
    const { rows } = await deps.db.query('SELECT status, department_id, client, client_email, subject FROM chats WHERE id = $1', [opened.body.chatId]);
    expect(rows[0]).toMatchObject({ status: 'queued', department_id: 'sales', client: { name: 'Maria', email: 'joao@padaria.example' }, subject: 'Proposta de atualização' });
    const again = await portal(app, 'POST', r.id, r.portalToken, '/chat');
    expect(again.status).toBe(200);
    expect(again.body.chatId).toBe(opened.body.chatId);
    const timeline = (await portal(app, 'GET', r.id, r.portalToken)).body.timeline;
    expect(timeline.some((e: { event?: string }) => e.event === 'chat_opened')).toBe(true);

    const noDepartment = await createReturn(app, 'notice', { departmentId: undefined });
    const refused = await portal(app, 'POST', noDepartment.id, noDepartment.portalToken, '/chat');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('RETURN_HAS_NO_DEPARTMENT');
  });

  it('a browser gets the same HTML page as the preview, without the preview banner', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'notice', { subject: 'Aviso de manutenção' });
    const page = await call(app, 'GET', `/v1/portal/returns/${r.id}?token=${r.portalToken}`, undefined, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(page.status).toBe(200);
    expect(page.res.headers['content-type']).toContain('text/html');
    expect(page.res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.raw).toContain('<h1>Aviso de manutenção</h1>');
    expect(page.raw).not.toContain('Pré-visualização');
  });
});
