import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startPonte, auth, eventually, type Ponte, type Mode } from '../support/ponte.js';
import { SEED } from '../support/fixtures.js';
import { emitEvent, type EventType } from '../../src/events/emit.js';
import { delinquency, newSecret, push } from '../erp-events/support.js';
import { downUrl, startReceiver, type Receiver } from './receiver.js';

const MAIN_MODES: Mode[] = ['embedded', 'redis'];
const erpSecret = newSecret();

async function subscribe(p: Ponte, url: string, events: EventType[] = ['chat.closed']) {
  const res = await p.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth('admin'), payload: { url, events } });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; secret: string };
}

async function emit(p: Ponte, type: EventType, data: Record<string, unknown>) {
  const event = await p.deps.db.tx((q) => emitEvent(q, type, data));
  p.deps.relay.kick();
  return event;
}

async function deliveries(p: Ponte, subscriptionId: string) {
  const res = await p.app.inject({ method: 'GET', url: `/v1/webhooks/${subscriptionId}/deliveries`, headers: auth('admin') });
  return res.json().items as Array<{ id: string; status: string; eventId: string; attempts: number }>;
}

async function deliveryOf(p: Ponte, deliveryId: string) {
  return (await p.app.inject({ method: 'GET', url: `/v1/webhooks/deliveries/${deliveryId}`, headers: auth('admin') })).json();
}

async function settled(p: Ponte, subscriptionId: string, status: string) {
  return eventually(async () => (await deliveries(p, subscriptionId)).find((d) => d.status === status), `a ${status} delivery`);
}

describe.each(MAIN_MODES)('outbound webhooks, %s mode', (mode) => {
  let p: Ponte;
  const receivers: Receiver[] = [];
  const receiver = async (statuses?: number[]) => {
    const r = await startReceiver(statuses);
    receivers.push(r);
    return r;
  };
  beforeAll(async () => {
    p = await startPonte(mode, { env: { PONTE_WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCALE: '0.001', PONTE_ERP_SECRETS: erpSecret } });
  });
  afterAll(async () => {
    await p.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('delivers an event the receiver verifies with the standardwebhooks library', async () => {
    const r = await receiver();
    const sub = await subscribe(p, r.url);
    expect(sub.secret).toMatch(/^whsec_/);
    const listed = await p.app.inject({ method: 'GET', url: '/v1/webhooks', headers: auth('admin') });
    expect(JSON.stringify(listed.json())).not.toContain(sub.secret);

    const event = await emit(p, 'chat.closed', { chatId: 'c-1', clientCode: SEED.clients.company });
    await eventually(async () => r.requests.length > 0, 'delivery received');
    const [got] = r.requests;
    expect(new Webhook(sub.secret).verify(got!.body, got!.headers)).toEqual(event);
    expect(got!.headers['webhook-id']).toBe(event.id);
    const [d] = await eventually(async () => {
      const delivered = (await deliveries(p, sub.id)).filter((x) => x.status === 'delivered');
      return delivered.length > 0 ? delivered : undefined;
    }, 'delivered');
    expect(d).toMatchObject({ eventId: event.id, attempts: 1 });
  });

  it('an ERP delinquency push reaches the helpdesk as client.delinquency.changed', async () => {
    const r = await receiver();
    const sub = await subscribe(p, r.url, ['client.delinquency.changed']);
    await push(p, delinquency(SEED.clients.delinquent, true), { secret: erpSecret });
    await eventually(async () => r.requests.length > 0, 'delinquency webhook');
    const payload = new Webhook(sub.secret).verify(r.requests[0]!.body, r.requests[0]!.headers) as { type: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({ type: 'client.delinquency.changed', data: { clientCode: SEED.clients.delinquent, delinquent: true } });
  });

  it('a receiver answering 500 then 200 gets exactly one successful delivery after a retry', async () => {
    const r = await receiver([500, 200]);
    const sub = await subscribe(p, r.url);
    await emit(p, 'chat.closed', { chatId: 'c-2' });
    const d = await settled(p, sub.id, 'delivered');
    const detail = await deliveryOf(p, d.id);
    expect(detail.attemptsLog.map((a: { outcome: string; statusCode: number }) => [a.outcome, a.statusCode])).toEqual([['retrying', 500], ['delivered', 200]]);
    expect(detail.attemptsLog[0].responseExcerpt.length).toBeLessThanOrEqual(1024);
    expect(detail.attemptsLog[0].responseExcerpt).toMatch(/^failure 500/);
    expect(r.requests.map((x) => x.answered)).toEqual([500, 200]);
  });

  it('a receiver that is down leaves recorded failed attempts', async () => {
    const sub = await subscribe(p, await downUrl());
    await emit(p, 'chat.closed', { chatId: 'c-3' });
    const d = await eventually(async () => (await deliveries(p, sub.id)).find((x) => x.attempts >= 3), 'three failed attempts');
    const detail = await deliveryOf(p, d.id);
    expect(detail.status).toMatch(/retrying|failed/);
    expect(detail.attemptsLog.slice(0, 3).map((a: { errorCode: string; outcome: string }) => [a.errorCode, a.outcome])).toEqual(Array(3).fill(['ECONNREFUSED', 'retrying']));
    expect(detail.lastError).toContain('ECONNREFUSED');
  });

  it('an admin replay delivers the same event again, audited', async () => {
    const r = await receiver();
    const sub = await subscribe(p, r.url);
    const event = await emit(p, 'chat.closed', { chatId: 'c-4' });
    const d = await settled(p, sub.id, 'delivered');
    const replay = await p.app.inject({ method: 'POST', url: `/v1/webhooks/deliveries/${d.id}/replay`, headers: auth('admin') });
    expect(replay.statusCode).toBe(202);
    await eventually(async () => r.requests.length === 2, 'second delivery');
    expect(r.requests.map((x) => x.headers['webhook-id'])).toEqual([event.id, event.id]);
    const detail = await eventually(async () => {
      const x = await deliveryOf(p, d.id);
      return x.status === 'delivered' && x.attemptsLog.length === 2 ? x : undefined;
    }, 'replay recorded');
    expect(detail.attemptsLog.map((a: { replay: number }) => a.replay)).toEqual([0, 1]);
    const { rows } = await p.deps.db.query('SELECT actor, action FROM audit_events WHERE target_id = $1', [d.id]);
    expect(rows).toEqual([{ actor: 'admin', action: 'webhook.delivery.replayed' }]);
  });
});
