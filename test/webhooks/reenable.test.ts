import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { emitEvent } from '../../src/events/emit.js';
import { startReceiver } from './receiver.js';

async function emit(p: Ponte, chatId: string) {
  const event = await p.deps.db.tx((q) => emitEvent(q, 'chat.closed', { chatId }));
  p.deps.relay.kick();
  return event;
}

async function deliveries(p: Ponte, id: string) {
  return (await p.app.inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: auth('admin') })).json().items as Array<{ id: string; status: string; eventId: string; replays: number }>;
}

const patch = (p: Ponte, id: string, payload: unknown) => p.app.inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers: auth('admin'), payload: payload as object });
const bulkReplay = (p: Ponte, id: string, payload?: unknown) =>
  p.app.inject({ method: 'POST', url: `/v1/webhooks/${id}/deliveries/replay`, headers: auth('admin'), ...(payload === undefined ? {} : { payload: payload as object }) });

describe('a disabled webhook subscription enabled again, and what it missed replayed', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', { env: { PONTE_WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCALE: '0.001' } });
  });
  afterAll(async () => {
    await p.close();
  });

  it('records the events of a disabled subscription as cancelled deliveries, sends them after PATCH {enabled: true} and a bulk replay, once each', async () => {
    const r = await startReceiver([200]);
    try {
      const { id } = (await p.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth('admin'), payload: { url: r.url, events: ['chat.closed'] } })).json();
      const off = await patch(p, id, { enabled: false });
      expect(off.statusCode).toBe(200);
      expect(off.json()).toMatchObject({ id, status: 'disabled', disabledReason: 'disabled by admin' });

      const missed = [await emit(p, 'c-missed-1'), await emit(p, 'c-missed-2'), await emit(p, 'c-missed-3')];
      const cancelled = await eventually(async () => {
        const ds = await deliveries(p, id);
        return ds.length === 3 && ds.every((d) => d.status === 'cancelled') ? ds : undefined;
      }, 'three cancelled deliveries');
      expect(cancelled.map((d) => d.eventId).sort()).toEqual(missed.map((e) => e.id).sort());
      expect(r.requests).toHaveLength(0);

      const refused = await bulkReplay(p, id);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('WEBHOOK_DISABLED');

      const on = await patch(p, id, { enabled: true });
      expect(on.statusCode).toBe(200);
      expect(on.json()).toMatchObject({ id, status: 'active', disabledReason: null, disabledAt: null, failingSince: null });

      const queued = await bulkReplay(p, id);
      expect(queued.statusCode).toBe(202);
      expect(queued.json()).toMatchObject({ queued: 3, jobId: expect.any(String) });
      await eventually(async () => ((await deliveries(p, id)).every((d) => d.status === 'delivered') ? true : undefined), 'all delivered');
      expect(r.requests.map((q) => q.headers['webhook-id']).sort()).toEqual(missed.map((e) => e.id).sort());

      const again = await bulkReplay(p, id, { status: ['cancelled'] });
      expect(again.json()).toEqual({ queued: 0, jobId: null });

      const { rows } = await p.deps.db.query('SELECT action FROM audit_events WHERE target_id = $1 ORDER BY id', [id]);
      expect(rows.map((a) => a.action)).toEqual(['webhook.created', 'webhook.disabled', 'webhook.enabled', 'webhook.deliveries.bulk_replay_queued', 'webhook.deliveries.bulk_replay_queued']);
    } finally {
      await r.close();
    }
  });

  it('names the bad field of a patch or a replay filter, and answers 404 for an unknown subscription', async () => {
    const { id } = (await p.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth('admin'), payload: { url: 'http://127.0.0.1:9/hooks', events: ['chat.closed'] } })).json();
    const empty = await patch(p, id, {});
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.json().error.details)).toContain('enabled');
    const wrong = await patch(p, id, { enabled: 'yes' });
    expect(wrong.statusCode).toBe(400);
    const filter = await bulkReplay(p, id, { status: ['delivered'] });
    expect(filter.statusCode).toBe(400);
    expect(JSON.stringify(filter.json().error.details)).toContain('status');
    const order = await bulkReplay(p, id, { since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' });
    expect(order.statusCode).toBe(400);
    expect(order.json().error.details[0].path).toBe('until');
    const unknown = await patch(p, '7f3c1c2e-0000-4000-8000-000000000000', { enabled: true });
    expect(unknown.statusCode).toBe(404);
    expect((await bulkReplay(p, '7f3c1c2e-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await p.app.inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers: auth('helpdesk'), payload: { enabled: true } })).statusCode).toBe(403);
  });
});
