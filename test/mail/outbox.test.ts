// Without SMTP_URL nothing leaves the machine: every e-mail is kept in the local outbox and
// listed to admins at /v1/admin/mail.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auth, eventually, startPonte, type Ponte } from '../support/ponte.js';
import { call, createReturn, ok } from '../returns/fixtures.js';

const admin = auth('admin');

describe('local mail outbox (no SMTP_URL)', () => {
  let ponte: Ponte;
  let app: FastifyInstance;

  beforeAll(async () => {
    ponte = await startPonte('postgres', { env: { PUBLIC_URL: 'https://ponte.example' } });
    app = ponte.app;
  }, 120_000);

  afterAll(async () => {
    await ponte?.close();
  });

  it('keeps the notice without its portal link (a stored mail never opens the portal), and lists it to admins only', async () => {
    const r = await createReturn(app, 'notice', { clientEmail: 'kept@cliente.example', subject: 'Guardado' });
    const kept = await eventually(async () => {
      const list = await ok(app, 'GET', `/v1/admin/mail?status=kept&returnId=${r.id}`, undefined, admin);
      return list.items.length === 1 ? list : undefined;
    }, 'the kept notice');
    expect(kept.smtpConfigured).toBe(false);
    expect(kept.items[0]).toMatchObject({ kind: 'return_notice', to: 'kept@cliente.example', subject: 'Novo retorno: Guardado', status: 'kept', sentAt: null, attempts: 0 });
    expect(kept.items[0].text).not.toContain(r.portalToken);
    expect(kept.items[0].html).not.toContain(r.portalToken);
    expect(kept.items[0].text).toContain('[link: enviado só ao destinatário, não guardado]');
    const { rows } = await ponte.deps.db.query('SELECT text, html, secret_link FROM mail_messages WHERE return_id = $1', [r.id]);
    expect(rows[0]!.secret_link).toBeNull();
    expect(JSON.stringify(rows)).not.toContain(r.portalToken);
    expect((await call(app, 'GET', '/v1/admin/mail')).status).toBe(403);
    expect((await call(app, 'GET', '/v1/admin/mail?status=sent', undefined, admin)).body.items).toEqual([]);
  });

  it('pages newest first with a cursor, each mail once', async () => {
    for (const n of [1, 2, 3]) await createReturn(app, 'notice', { clientEmail: `page${n}@cliente.example` });
    await eventually(async () => (await ok(app, 'GET', '/v1/admin/mail?status=kept&limit=200', undefined, admin)).items.length >= 4, 'all kept');
    const seen: Array<{ id: string; createdAt: string }> = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string; createdAt: string }>; nextCursor: string | null } = await ok(app, 'GET', `/v1/admin/mail?limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, admin);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((m) => m.id)).size).toBe(4);
    expect(seen.map((m) => m.createdAt)).toEqual([...seen.map((m) => m.createdAt)].sort().reverse());
    expect((await call(app, 'GET', '/v1/admin/mail?cursor=bad', undefined, admin)).status).toBe(400);
  });
});
