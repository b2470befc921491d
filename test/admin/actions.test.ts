import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, type Ponte } from '../support/ponte.js';
import { insertChat, insertIntegrations } from './rows.js';
import { QUEUES } from '../../src/jobs/queues.js';

describe('admin actions: cancel, replay rules, API keys and the audit trail', () => {
  let p: Ponte;
  let chatId: string;
  beforeAll(async () => {
    p = await startPonte('postgres', { workers: false, relay: false });
    chatId = await insertChat(p.deps.db);
  });
  afterAll(() => p.close());

  const post = (url: string, payload: object | undefined, headers = auth('admin')) => p.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
  const one = async (status: string) => (await insertIntegrations(p.deps.db, { count: 1, chatId, status }))[0]!;
  /** An unfinished row whose job is in the backend (nobody runs it here: no workers). */
  const queued = async (status: 'pending' | 'running') => {
    const id = await one(status);
    await p.deps.jobs.add(QUEUES.integrations, 'run', { integrationId: id }, { jobId: id });
    return id;
  };

  it('cancels pending, failed and dead integrations, and running ones whose job is gone; refuses running or finished ones', async () => {
    for (const status of ['pending', 'failed', 'dead']) {
      const res = await post(`/v1/admin/integrations/${await one(status)}/cancel`, undefined);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'cancelled' });
    }
    const running = await post(`/v1/admin/integrations/${await queued('running')}/cancel`, undefined);
    expect(running.statusCode).toBe(409);
    expect(running.json().error).toMatchObject({ code: 'NOT_CANCELLABLE', details: [{ path: 'status', message: 'is running' }] });
    expect(running.json().error.message).toContain('running now');
    // Running, but its job left the backend: nothing will ever finish it.
    const stranded = await post(`/v1/admin/integrations/${await one('running')}/cancel`, undefined);
    expect([stranded.statusCode, stranded.json().status]).toEqual([200, 'cancelled']);
    for (const status of ['succeeded', 'cancelled']) expect((await post(`/v1/admin/integrations/${await one(status)}/cancel`, undefined)).statusCode).toBe(409);
    expect((await post('/v1/admin/integrations/00000000-0000-4000-8000-000000000000/cancel', undefined)).statusCode).toBe(404);
  });

  it('replays failed, dead and cancelled integrations, and unfinished ones whose job is gone, each with a job of its own', async () => {
    for (const id of [await queued('pending'), await queued('running'), await one('succeeded')]) {
      const res = await post(`/v1/admin/integrations/${id}/replay`, {});
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('NOT_REPLAYABLE');
    }
    expect((await post(`/v1/admin/integrations/${await one('pending')}/replay`, {})).statusCode).toBe(202);
    const id = await one('cancelled');
    const first = await post(`/v1/admin/integrations/${id}/replay`, undefined);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ status: 'pending', replays: 1, attempts: 0, lastError: null });
    await p.deps.db.query("UPDATE integrations SET status = 'dead', attempts = 8, error_code = 'ERP_UNAVAILABLE' WHERE id = $1", [id]);
    expect((await post(`/v1/admin/integrations/${id}/replay`, {})).json()).toMatchObject({ replays: 2, attempts: 0 });
    const { rows } = await p.deps.db.query("SELECT job_id FROM outbox WHERE queue = 'integrations' AND payload->>'integrationId' = $1 ORDER BY id", [id]);
    expect(rows.map((r) => r.job_id)).toEqual([`${id}-r1`, `${id}-r2`]);
  });

  it('refuses a patch that breaks the creation rules or that the ERP case can no longer take', async () => {
    const id = await one('failed');
    const shape = await post(`/v1/admin/integrations/${id}/replay`, { patch: { clientCode: 'abc', unknownField: 1 } });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['patch.clientCode', 'patch.unknownField']);
    // Another integration on the chat without `multiple`: this one may not drop its own flag.
    const lonely = await post(`/v1/admin/integrations/${id}/replay`, { patch: { multiple: false, historyExcerpt: null } });
    expect(lonely.statusCode).toBe(400);
    expect(lonely.json().error.details.map((d: { path: string }) => d.path)).toContain('patch.multiple');
    const created = await one('failed');
    await p.deps.db.query("UPDATE integrations SET erp_process_number = '10000099', error_code = 'NOTIFY_FAILED' WHERE id = $1", [created]);
    const late = await post(`/v1/admin/integrations/${created}/replay`, { patch: { subject: 'Outro assunto' } });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.details).toEqual([{ path: 'patch.subject', message: 'the ERP case 10000099 already exists' }]);
    const notify = await post(`/v1/admin/integrations/${created}/replay`, { patch: { notify: { emails: ['gestor@example.com'] } } });
    expect(notify.statusCode, notify.body).toBe(202);
  });

  it('creates API keys whose secret is shown once, and records who did each action', async () => {
    const created = await post('/v1/admin/keys', { name: 'ops-maria', roles: ['admin'] });
    expect(created.statusCode, created.body).toBe(201);
    const { secret, id: keyId } = created.json();
    expect(secret).toMatch(/^pk_/);
    expect((await post('/v1/admin/keys', { name: 'ops-maria', roles: ['helpdesk'] })).statusCode).toBe(409);
    expect((await post('/v1/admin/keys', { name: 'x', roles: ['root'] })).statusCode).toBe(400);

    const maria = { authorization: `Bearer ${secret}` };
    const failed = await one('failed');
    const dead = await one('dead');
    expect((await post(`/v1/admin/integrations/${failed}/replay`, { patch: { subject: 'Assunto corrigido' } }, maria)).statusCode).toBe(202);
    expect((await post(`/v1/admin/integrations/${dead}/cancel`, undefined, maria)).statusCode).toBe(200);
    expect((await post('/v1/admin/integrations/replay', { filter: { status: ['failed'], chatId } }, maria)).statusCode).toBe(202);

    const audit = async (query: string) => (await p.app.inject({ method: 'GET', url: `/v1/admin/audit?${query}`, headers: auth('admin') })).json();
    const byMaria = await audit('actor=ops-maria');
    expect(byMaria.items.map((e: { action: string }) => e.action)).toEqual(['integrations.bulk_replay_queued', 'integration.cancelled', 'integration.replayed', 'integration.patched']);
    expect(byMaria.items[3]).toMatchObject({ targetId: failed, changes: { subject: { from: 'Erro ao emitir NF-e', to: 'Assunto corrigido' } } });
    expect(byMaria.items[1]).toMatchObject({ targetId: dead, changes: { fromStatus: 'dead' } });
    const keyEvent = (await audit('action=key.created')).items[0];
    expect(keyEvent).toMatchObject({ actor: 'admin', targetType: 'api_key', targetId: keyId, changes: { name: 'ops-maria', roles: ['admin'] } });
    expect(JSON.stringify(keyEvent)).not.toContain(secret);

    // Newest first, in pages that join up.
    const pages = [];
    let cursor: string | null = null;
    do {
      const page = await audit(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const ids = pages.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(8);
  });
});
