// Hostile HTML never comes back: not in JSON answers (agent view, portal, templates), not in
// the preview page, whatever the format it was sent in or the route it came through.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPonte, type Ponte } from '../support/ponte.js';
import { call, createReturn, ok, portal } from './fixtures.js';

const SCRIPT = '<script>alert("x")</script>';
const IMG = '<img src=x onerror=alert(1)>';
const HOSTILE = `<p>Olá <b>cliente</b> ${SCRIPT}${IMG}<a href="javascript:alert(1)" onclick="x()">clique</a></p>`;

function expectClean(body: string): void {
  expect(body).not.toMatch(/<script/i);
  expect(body).not.toMatch(/onerror\s*=/i);
  expect(body).not.toMatch(/onclick\s*=/i);
  expect(body).not.toMatch(/javascript:/i);
  expect(body).not.toMatch(/<img/i);
}

describe('sanitizing replies and client text', () => {
  let ponte: Ponte;

  beforeAll(async () => {
    ponte = await startPonte('postgres', { workers: false });
  }, 60_000);
  afterAll(async () => ponte?.close());

  it('never returns a script or an event handler, in JSON or in the preview', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'question', { subject: `Assunto ${SCRIPT}`, description: `Descrição ${IMG} fim`, contactPerson: `Ana ${IMG}` });
    const template = await ok(app, 'POST', '/v1/reply-templates', { name: `Modelo ${SCRIPT}`, text: HOSTILE, format: 'html' });
    expectClean(JSON.stringify(template));

    const html = await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: HOSTILE, format: 'html' });
    expect(html.html).toContain('<b>cliente</b>');
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: `**negrito** ${HOSTILE}`, format: 'markdown' });
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: HOSTILE });
    await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { templateId: template.id });
    await ok(app, 'POST', `/v1/returns/${r.id}/interactions`, { channel: 'phone', text: HOSTILE, visibleToClient: true });
    const answered = await portal(app, 'POST', r.id, r.portalToken, '/answer', { text: `Resposta ${SCRIPT} ${IMG} 2 < 3` });
    expect(answered.status).toBe(201);
    expect(answered.body.text).toBe('Resposta   2 < 3');
    const mail = await call(app, 'POST', `/v1/returns/${r.id}/inbound-email`, { from: 'joao@padaria.example', rawText: `Oi ${SCRIPT}\n\nOn Mon, Jan 6, 2025 at 10:00 AM Suporte <s@ex.example> wrote:\n> ${IMG}` });
    expect(mail.status).toBe(201);

    const agentView = await call(app, 'GET', `/v1/returns/${r.id}`);
    expectClean(agentView.raw);
    expect(agentView.body.subject).toBe('Assunto');
    expectClean((await call(app, 'GET', `/v1/returns/${r.id}/timeline/${mail.body.id}?expand=true`)).raw);
    expectClean((await portal(app, 'GET', r.id, r.portalToken)).raw);
    expectClean((await call(app, 'GET', '/v1/reply-templates')).raw);

    const preview = await call(app, 'GET', `/v1/returns/${r.id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.res.headers['content-type']).toContain('text/html');
    expectClean(preview.raw);
    expect(preview.raw).toContain('<b>cliente</b>');
    expect(preview.raw).toContain('<strong>negrito</strong>');
    expect(preview.raw).toContain('Pré-visualização');
  });

  it('escapes in the preview whatever was stored without the API (defence in depth)', async () => {
    const { app, deps } = ponte;
    const r = await createReturn(app, 'notice');
    await deps.db.query(
      "INSERT INTO return_timeline (return_id, kind, author_kind, text, html, visible_to_client) VALUES ($1, 'message', 'agent', $2, $3, true)",
      [r.id, `texto ${SCRIPT}`, `<p>ok</p>${IMG}${SCRIPT}`],
    );
    await deps.db.query('UPDATE returns SET subject = $2 WHERE id = $1', [r.id, `Assunto ${SCRIPT}`]);
    const preview = await call(app, 'GET', `/v1/returns/${r.id}/preview`);
    expectClean(preview.raw);
    expect(preview.raw).toContain('Assunto &lt;script&gt;');
    expect(preview.raw).toContain('<p>ok</p>');
  });
});
