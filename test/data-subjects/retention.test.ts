// Retention that deletes: each kind older than its setting is deleted or emptied, in batches,
// and nothing younger is touched; the clock is injected, the job scheduler is set up.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPonte, auth, type Ponte } from '../support/ponte.js';
import { session } from '../support/fixtures.js';
import { settableClock } from '../returns/fixtures.js';
import { multipart } from '../chats/fixtures.js';
import { runRetention } from '../../src/data-subjects/retention.js';
import { ok } from './flow.js';

const DAY = 86_400_000;
const clock = settableClock(new Date('2027-06-01T12:00:00Z'));
const ago = (days: number) => new Date(clock.now().getTime() - days * DAY);

describe('retention that deletes (postgres, clock injected)', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', {
      clock,
      env: {
        AGENTS_CAN_CLOSE: 'true', RETENTION_CLOSED_CHATS_DAYS: '30', RETURNS_RETENTION_DAYS: '10', RETENTION_CLOSED_RETURNS_DAYS: '60',
        RETENTION_ATTEMPT_EXCHANGES_DAYS: '7', RETENTION_MAIL_BODIES_DAYS: '14', RETENTION_WEBHOOK_DELIVERIES_DAYS: '3',
      },
    });
    await ok(p, 'PUT', '/v1/departments/support', { name: 'Suporte', systems: [] }, 'admin');
    await ok(p, 'PUT', '/v1/agents/ana', { name: 'Ana', departmentIds: ['support'], online: true, spellcheck: false }, 'admin');
  }, 60_000);
  afterAll(() => p?.close());

  async function closedChat(closedDaysAgo: number, email: string): Promise<string> {
    const chat = await ok(p, 'POST', '/v1/chats', { client: { name: 'Cliente', email }, departmentId: 'support' });
    await ok(p, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'ana' });
    const up = await p.app.inject({ method: 'POST', url: `/v1/chats/${chat.id}/attachments`, ...multipart([{ filename: 'nota.txt', content: Buffer.from('x') }]) });
    expect(up.statusCode).toBe(201);
    await ok(p, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' });
    await p.deps.db.query('UPDATE chats SET closed_at = $2 WHERE id = $1', [chat.id, ago(closedDaysAgo)]);
    await p.deps.db.query("INSERT INTO integrations (chat_id, status, connector, request, opinion, erp_process_number) VALUES ($1, 'succeeded', 'bimer', '{\"subject\":\"s\"}', 'transcrição', '10000009')", [chat.id]);
    return chat.id;
  }

  async function closedReturn(closedDaysAgo: number, email: string): Promise<string> {
    const r = await ok(p, 'POST', '/v1/returns', { clientEmail: email, type: 'notice', validUntil: new Date(clock.now().getTime() + 30 * DAY).toISOString(), subject: 'Aviso', description: 'Texto' });
    await ok(p, 'POST', `/v1/returns/${r.id}/close`);
    await p.deps.db.query('UPDATE returns SET closed_at = $2 WHERE id = $1', [r.id, ago(closedDaysAgo)]);
    return r.id;
  }

  it('deletes closed chats and returns older than their settings, with their files, and keeps the younger ones', async () => {
    const oldChat = await closedChat(31, 'velho@chat.example');
    const youngChat = await closedChat(29, 'novo@chat.example');
    const oldReturn = await closedReturn(61, 'velho@ret.example');
    const youngReturn = await closedReturn(59, 'novo@ret.example');

    await runRetention(p.deps);

    const chats = (await p.deps.db.query('SELECT id FROM chats')).rows.map((r) => r.id);
    expect(chats).toContain(youngChat);
    expect(chats).not.toContain(oldChat);
    const returns = (await p.deps.db.query('SELECT id FROM returns')).rows.map((r) => r.id);
    expect(returns).toContain(youngReturn);
    expect(returns).not.toContain(oldReturn);
    // The old chat's integration outcome stays, without its chat or its text.
    const kept = (await p.deps.db.query("SELECT chat_id, opinion, erp_process_number FROM integrations WHERE erp_process_number = '10000009' ORDER BY chat_id NULLS FIRST")).rows;
    expect(kept).toEqual([{ chat_id: null, opinion: '[anonimizado]', erp_process_number: '10000009' }, { chat_id: youngChat, opinion: 'transcrição', erp_process_number: '10000009' }]);
    expect((await p.deps.db.query('SELECT count(*)::int AS n FROM attachments')).rows[0]!.n).toBe(1);
    expect((await p.deps.db.query("SELECT count(*)::int AS n FROM mail_messages WHERE to_address = 'velho@ret.example'")).rows[0]!.n).toBe(0);
  }, 60_000);

  it('remembers the helpdesk id of a chat it deleted, as a digest: the same session again is 409 SESSION_FORGOTTEN, nothing written', async () => {
    const post = (body: Record<string, unknown>) => p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body });
    const gone = session({ integrations: [] });
    const rewritten = session({ integrations: [] });
    expect((await post(gone)).statusCode).toBe(202);
    expect((await post(rewritten)).statusCode).toBe(202);
    await runRetention(p.deps);
    // An anonymization rewrites an id that held the person's e-mail: the old id is remembered too.
    await p.deps.db.query('UPDATE chats SET external_id = $2 WHERE external_id = $1', [rewritten.externalId, `ext-${Date.now()}`]);

    for (const body of [gone, rewritten]) {
      const again = await post(body);
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json().error).toMatchObject({ code: 'SESSION_FORGOTTEN', details: [{ path: 'externalId' }] });
      expect((await p.deps.db.query('SELECT count(*)::int AS n FROM chats WHERE external_id = $1', [body.externalId])).rows[0]!.n).toBe(0);
    }
    const kept = (await p.deps.db.query('SELECT digest FROM forgotten_sessions')).rows.map((r) => r.digest as string);
    expect(kept.every((d) => /^[0-9a-f]{64}$/.test(d))).toBe(true);
    expect(kept).not.toContain(gone.externalId);
    expect((await post(session({ integrations: [] }))).statusCode).toBe(202);
  }, 60_000);

  it('empties ERP exchanges and mail bodies, and deletes finished deliveries and access records, past their settings only', async () => {
    const integration = (await p.deps.db.query("INSERT INTO integrations (status, connector, request) VALUES ('succeeded', 'bimer', '{}') RETURNING id")).rows[0]!;
    for (const days of [8, 6]) {
      await p.deps.db.query("INSERT INTO integration_attempts (integration_id, attempt, started_at, duration_ms, outcome, exchanges) VALUES ($1, 1, $2, 5, 'succeeded', '[{\"request\":\"x\"}]')", [integration.id, ago(days)]);
    }
    const r = await ok(p, 'POST', '/v1/returns', { clientEmail: 'mail@ret.example', type: 'notice', validUntil: new Date(clock.now().getTime() + 30 * DAY).toISOString(), subject: 'Aviso', description: 'Corpo' });
    const mail = (await p.deps.db.query('SELECT id FROM mail_messages WHERE return_id = $1', [r.id])).rows[0]!.id;
    await p.deps.db.query("UPDATE mail_messages SET created_at = $2, status = 'kept' WHERE id = $1", [mail, ago(15)]);
    const young = (await p.deps.db.query("INSERT INTO mail_messages (kind, to_address, subject, text, html, status, created_at) VALUES ('reply', 'x@y.example', 's', 'corpo novo', '<p>corpo novo</p>', 'sent', $1) RETURNING id", [ago(13)])).rows[0]!;
    const sub = (await p.deps.db.query("INSERT INTO webhook_subscriptions (url, events, secret, created_by) VALUES ('https://h.example/x', '{chat.closed}', 's', 't') RETURNING id")).rows[0]!;
    const delivery = (days: number, status: string, id: string) => p.deps.db.query(
      "INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, payload, status, created_at) VALUES ($1, $2, 'chat.closed', '{}', $3, $4)", [sub.id, id, status, ago(days)]);
    await delivery(4, 'delivered', 'old-delivered');
    await delivery(4, 'retrying', 'old-retrying');
    await delivery(2, 'delivered', 'young-delivered');
    for (const days of [184, 182]) await p.deps.db.query("INSERT INTO access_log (at, key_name, action, target_type, target_id) VALUES ($1, 'k', 'chat.read', 'chat', $2)", [ago(days), `d${days}`]);

    await runRetention(p.deps);

    const exchanges = (await p.deps.db.query('SELECT exchanges FROM integration_attempts WHERE integration_id = $1 ORDER BY started_at', [integration.id])).rows.map((x) => x.exchanges);
    expect(exchanges).toEqual([[], [{ request: 'x' }]]);
    expect((await p.deps.db.query('SELECT text, html FROM mail_messages WHERE id = $1', [mail])).rows[0]).toEqual({ text: '', html: '' });
    expect((await p.deps.db.query('SELECT text FROM mail_messages WHERE id = $1', [young.id])).rows[0]!.text).toBe('corpo novo');
    expect((await p.deps.db.query('SELECT event_id FROM webhook_deliveries ORDER BY event_id')).rows.map((x) => x.event_id)).toEqual(['old-retrying', 'young-delivered']);
    expect((await p.deps.db.query("SELECT target_id FROM access_log WHERE key_name = 'k'")).rows.map((x) => x.target_id)).toEqual(['d182']);
  }, 60_000);

  it('runs as a BullMQ job scheduler every RETENTION_INTERVAL_MS', async () => {
    const scheduler = await p.deps.jobs.queue('privacy').getJobScheduler('retention');
    expect(scheduler).toMatchObject({ every: 3_600_000, name: 'retention' });
  });

  it('refuses to delete closed returns before they are archived', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(() => loadConfig({ RETURNS_RETENTION_DAYS: '90', RETENTION_CLOSED_RETURNS_DAYS: '30' })).toThrow(/RETENTION_CLOSED_RETURNS_DAYS=30.*RETURNS_RETENTION_DAYS \(90\)/);
  });
});
