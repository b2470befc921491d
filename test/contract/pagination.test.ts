// Every list pages the same way: `?limit=1` gives one item and a nextCursor, following the
// cursors visits every item once in the list's order, the last page's nextCursor is null (no
// empty page after a full one), and a cursor the list did not give is a 400 naming `cursor`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auth, startPonte, type Ponte } from '../support/ponte.js';
import { insertSubscription } from '../../src/webhooks/store.js';
import { call, createReturn, ok } from '../returns/fixtures.js';
import { simpleSubject } from '../casework/fixtures.js';
import { activeChat, seedTeam } from '../chats/fixtures.js';

const admin = auth('admin');

/** Follows nextCursor from `?limit=1` to the end; returns the pages. */
export async function walk(app: FastifyInstance, url: string, headers: Record<string, string> = admin): Promise<Array<{ items: unknown[]; nextCursor: string | null }>> {
  const pages: Array<{ items: unknown[]; nextCursor: string | null }> = [];
  const join = url.includes('?') ? '&' : '?';
  let cursor: string | null = null;
  do {
    const page = await ok(app, 'GET', `${url}${join}limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, headers);
    pages.push(page);
    cursor = page.nextCursor;
    expect(pages.length, `${url}: more pages than items`).toBeLessThan(50);
  } while (cursor !== null);
  return pages;
}

const keyOf = (item: unknown) => { const i = item as { id?: string; word?: string; returnId?: string }; return i.id ?? i.word ?? i.returnId; };

/** The list answers one item per page, the same items in the same order as one big page, and refuses a made-up cursor. */
export async function expectPaged(app: FastifyInstance, url: string, atLeast: number, headers: Record<string, string> = admin): Promise<void> {
  const whole = await ok(app, 'GET', url, undefined, headers);
  expect(whole.nextCursor, `${url}: one page holds them all`).toBeNull();
  expect(whole.items.length).toBeGreaterThanOrEqual(atLeast);
  const pages = await walk(app, url, headers);
  expect(pages.map((p) => p.items.length), `${url}: one item a page, no empty last page`).toEqual(whole.items.map(() => 1));
  // By key: a row's other fields may move on between the reads (a mail gets sent), its place may not.
  expect(pages.flatMap((p) => p.items.map(keyOf))).toEqual(whole.items.map(keyOf));
  const bad = await call(app, 'GET', `${url}${url.includes('?') ? '&' : '?'}cursor=bm90LWEtY3Vyc29y`, undefined, headers);
  expect(bad.status, `${url}: bad cursor`).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain('cursor');
}

describe('every list pages with ?limit=&cursor=', () => {
  let ponte: Ponte;
  let app: FastifyInstance;

  beforeAll(async () => {
    ponte = await startPonte('postgres');
    app = ponte.app;
  }, 120_000);

  afterAll(async () => {
    await ponte?.close();
  });

  it('admin lists: departments, subjects, profiles, reply templates, webhooks, the dictionary', async () => {
    // Same names: the id breaks the tie, so no row is skipped or repeated.
    for (const id of ['pg-b', 'pg-a', 'pg-c']) await ok(app, 'PUT', `/v1/departments/${id}`, { name: 'Suporte', systems: [] }, admin);
    await expectPaged(app, '/v1/departments', 3);
    expect((await ok(app, 'GET', '/v1/departments?limit=2')).items.map((d: { id: string }) => d.id)).toEqual(['pg-a', 'pg-b']);

    for (const name of ['Informação', 'Informação', 'Garantia']) await ok(app, 'POST', '/v1/subjects', simpleSubject({ name }), admin);
    await expectPaged(app, '/v1/subjects', 3);

    for (const id of ['pg-clerk', 'pg-senior']) await ok(app, 'POST', '/v1/profiles', { id, name: 'Perfil', permissions: [] }, admin);
    await expectPaged(app, '/v1/profiles', 2);

    for (const name of ['Saudação', 'Saudação', 'Encerramento']) await ok(app, 'POST', '/v1/reply-templates', { name, text: 'Olá', format: 'text' });
    await expectPaged(app, '/v1/reply-templates', 3, auth('helpdesk'));

    for (let i = 0; i < 3; i++) {
      await insertSubscription(ponte.deps.db, { url: `https://hooks.example.com/ponte/${i}`, events: ['chat.closed'], secret: 'whsec_test', createdBy: 'test' });
    }
    await expectPaged(app, '/v1/webhooks', 3);

    for (const word of ['Karoo', 'Bimer', 'ponte']) await ok(app, 'POST', '/v1/spellcheck/dictionary', { word }, admin);
    await expectPaged(app, '/v1/spellcheck/dictionary', 3);
    expect((await ok(app, 'GET', '/v1/spellcheck/dictionary?limit=1', undefined, admin)).version).toBeGreaterThan(0);
  });

  it("a chat's lists: integrations, attachments, remote sessions, version releases — rows of the same microsecond kept apart by id", async () => {
    await seedTeam(app);
    const chat = await activeChat(app, 'ana');
    const db = ponte.deps.db;
    const at = '2026-12-01T10:00:00.123456Z';
    for (let i = 0; i < 3; i++) {
      await db.query(`INSERT INTO integrations (chat_id, status, connector, request, created_at) VALUES ($1, 'cancelled', 'bimer', '{}', $2)`, [chat.id, at]);
      await db.query(`INSERT INTO attachments (chat_id, filename, content_type, size, path, uploaded_at) VALUES ($1, $2, 'text/plain', 1, '/nowhere', $3)`, [chat.id, `f${i}.txt`, at]);
      await db.query(`INSERT INTO remote_sessions (chat_id, agent_id, provider, state, created_at) VALUES ($1, 'ana', 'sandbox', 'ended', $2)`, [chat.id, at]);
      await db.query(
        `INSERT INTO version_releases (chat_id, client_code, system, version, entitled, agent_id, requested_by, status, created_at)
         VALUES ($1, '12', 'Bimer ERP', '1.0', '1.0', 'ana', 'test', 'pending', $2)`, [chat.id, at]);
    }
    for (const list of ['integrations', 'attachments', 'remote-sessions', 'version-releases']) {
      await expectPaged(app, `/v1/chats/${chat.id}/${list}`, 3, auth('helpdesk'));
    }
  });

  it("returns, the mail record and a return's links, tasks, third parties and history — same-microsecond rows kept apart by id", async () => {
    const db = ponte.deps.db;
    const at = '2026-12-01T11:00:00.654321Z';
    const [main, ...others] = [await createReturn(app), await createReturn(app), await createReturn(app)];
    await db.query('UPDATE returns SET created_at = $1', [at]);
    for (const [i, other] of others.entries()) {
      const [a, b] = [main.id, other.id].sort();
      await db.query(`INSERT INTO return_links (return_a, return_b, origin, created_by, created_at) VALUES ($1, $2, 'manual', 'test', $3)`, [a, b, at]);
      await db.query(`INSERT INTO return_tasks (return_id, title, assignee_id, due_at, created_by, created_at) VALUES ($1, $2, 'ana', $3, 'test', $3)`, [main.id, `Tarefa ${i}`, at]);
      await db.query(`INSERT INTO return_third_parties (return_id, email, invited_by, invited_at) VALUES ($1, $2, 'test', $3)`, [main.id, `terceiro${i}@example.com`, at]);
      await db.query(`INSERT INTO mail_messages (kind, to_address, subject, text, html, status, created_at) VALUES ('return_notice', $1, 'Oi', 'Oi', '<p>Oi</p>', 'kept', $2)`, [`m${i}@example.com`, at]);
    }
    await db.query("UPDATE mail_messages SET created_at = $1", [at]);
    await ok(app, 'PATCH', `/v1/returns/${main.id}`, { subject: 'Outro assunto' });

    await expectPaged(app, '/v1/returns', 3, auth('helpdesk'));
    await expectPaged(app, '/v1/admin/mail', 2);
    for (const list of ['links', 'tasks', 'third-parties', 'history']) await expectPaged(app, `/v1/returns/${main.id}/${list}`, 2, auth('helpdesk'));
  });

  it('refuses a limit outside 1–500, naming it', async () => {
    const res = await call(app, 'GET', '/v1/departments?limit=501', undefined, admin);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('limit');
  });
});
