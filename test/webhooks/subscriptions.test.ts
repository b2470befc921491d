import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { emitEvent } from '../../src/events/emit.js';
import { newSecret } from '../erp-events/support.js';
import { startReceiver } from './receiver.js';

async function create(p: Ponte, payload: Record<string, unknown>) {
  return p.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth('admin'), payload });
}

describe('webhook subscriptions, public destinations only (default)', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', { workers: false });
  });
  afterAll(async () => {
    await p.close();
  });

  it.each([
    ['http://93.184.216.34/hooks', 'must be an https URL'],
    ['https://127.0.0.1/hooks', 'not public'],
    ['https://localhost:8443/hooks', 'not public'],
    ['https://10.1.2.3/hooks', 'not public'],
    ['https://172.20.0.5/hooks', 'not public'],
    ['https://192.168.1.10/hooks', 'not public'],
    ['https://169.254.169.254/latest/meta-data', 'not public'],
    ['https://[::1]/hooks', 'not public'],
    ['https://[fd00::1]/hooks', 'not public'],
    ['https://[::ffff:127.0.0.1]/hooks', 'not public'],
  ])('refuses %s', async (url, why) => {
    const res = await create(p, { url, events: ['chat.closed'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('WEBHOOK_URL_REFUSED');
    expect(res.json().error.message).toContain(why);
  });

  it('accepts a public https address and keeps a given secret out of every answer but the first', async () => {
    const secret = newSecret();
    const res = await create(p, { url: 'https://93.184.216.34/hooks', events: ['integration.failed', 'integration.dead'], secret });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ url: 'https://93.184.216.34/hooks', events: ['integration.failed', 'integration.dead'], status: 'active', secret });
    const one = await p.app.inject({ method: 'GET', url: `/v1/webhooks/${res.json().id}`, headers: auth('admin') });
    expect(one.json().secret).toBeUndefined();
    const { rows } = await p.deps.db.query('SELECT actor, action FROM audit_events WHERE target_id = $1', [res.json().id]);
    expect(rows).toEqual([{ actor: 'admin', action: 'webhook.created' }]);
  });

  it('refuses event types that do not exist', async () => {
    const res = await create(p, { url: 'https://93.184.216.34/hooks', events: ['chat.opened'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('events.0');
  });

  it('is for admins only', async () => {
    const res = await p.app.inject({ method: 'GET', url: '/v1/webhooks', headers: auth('helpdesk') });
    expect(res.statusCode).toBe(403);
  });

  it('deletes a subscription, which then is gone', async () => {
    const { id } = (await create(p, { url: 'https://93.184.216.34/hooks', events: ['chat.closed'] })).json();
    expect((await p.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth('admin') })).statusCode).toBe(204);
    expect((await p.app.inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: auth('admin') })).statusCode).toBe(404);
    expect((await p.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth('admin') })).statusCode).toBe(404);
  });
});

describe('a subscription failing for 5 days in a row', () => {
  let offsetMs = 0;
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', {
      env: { PONTE_WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCALE: '0.001' },
      clock: { now: () => new Date(Date.now() + offsetMs) },
    });
  });
  afterAll(async () => {
    await p.close();
  });

  it('is disabled at the next failed attempt, with the reason visible', async () => {
    const r = await startReceiver([503]);
    // After the first failure, five days pass before the next attempt.
    r.onRequest = () => (offsetMs = 5 * 24 * 3600_000 + 60_000);
    try {
      const { id } = (await create(p, { url: r.url, events: ['chat.closed'] })).json();
      await p.deps.db.tx((q) => emitEvent(q, 'chat.closed', { chatId: 'c-5' }));
      p.deps.relay.kick();
      const sub = await eventually(async () => {
        const s = (await p.app.inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: auth('admin') })).json();
        return s.status === 'disabled' ? s : undefined;
      }, 'subscription disabled');
      expect(sub.disabledReason).toMatch(/^deliveries failed continuously since .* \(5 days\); last error: HTTP_503/);
      expect(r.requests).toHaveLength(2);
      const [d] = (await p.app.inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: auth('admin') })).json().items;
      expect(d).toMatchObject({ status: 'failed', attempts: 2 });
      const replay = await p.app.inject({ method: 'POST', url: `/v1/webhooks/deliveries/${d.id}/replay`, headers: auth('admin') });
      expect(replay.statusCode).toBe(409);
      expect(replay.json().error.code).toBe('WEBHOOK_DISABLED');
    } finally {
      await r.close();
    }
  });
});
