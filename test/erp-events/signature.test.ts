import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, type Ponte } from '../support/ponte.js';
import { SEED } from '../support/fixtures.js';
import { delinquency, marker, newSecret, push, signedHeaders } from './support.js';

const current = newSecret();
const previous = newSecret();

describe('ERP push authentication', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', { env: { PONTE_ERP_SECRETS: `${current},${previous}` } });
  });
  afterAll(async () => {
    await p.close();
  });

  const check = (res: { statusCode: number; json(): any }) => ({ status: res.statusCode, code: res.json().error?.code, check: res.json().error?.details?.[0]?.check });

  it('refuses a signature made with another secret', async () => {
    const res = await push(p, delinquency(SEED.clients.person, true), { secret: newSecret() });
    expect(check(res)).toEqual({ status: 401, code: 'INVALID_SIGNATURE', check: 'signature' });
    expect(await marker(p, SEED.clients.person)).toBeUndefined();
  });

  it('refuses a body changed after signing', async () => {
    const event = delinquency(SEED.clients.person, true);
    const res = await push(p, event, { secret: current, sendInstead: JSON.stringify({ ...event, data: { ...event.data, delinquent: false } }) });
    expect(check(res)).toEqual({ status: 401, code: 'INVALID_SIGNATURE', check: 'signature' });
  });

  it('refuses a timestamp more than 5 minutes old, even correctly signed', async () => {
    const res = await push(p, delinquency(SEED.clients.person, true), { secret: current, at: new Date(Date.now() - 6 * 60_000) });
    expect(check(res)).toEqual({ status: 401, code: 'INVALID_SIGNATURE', check: 'timestamp' });
  });

  it('names a missing signature header', async () => {
    const payload = JSON.stringify(delinquency(SEED.clients.person, true));
    const { 'webhook-signature': _omitted, ...headers } = signedHeaders(payload, { secret: current });
    const res = await p.app.inject({ method: 'POST', url: '/v1/erp/events', headers: { ...auth('erp'), ...headers }, payload });
    expect(check(res)).toEqual({ status: 401, code: 'INVALID_SIGNATURE', check: 'headers' });
    expect(res.json().error.message).toContain('webhook-signature');
  });

  it('accepts both secrets while a rotation lists them', async () => {
    expect((await push(p, delinquency(SEED.clients.person, true, new Date(Date.now() - 1000)), { secret: previous })).json().outcome).toBe('applied');
    expect((await push(p, delinquency(SEED.clients.person, false), { secret: current })).json().outcome).toBe('applied');
    expect(await marker(p, SEED.clients.person)).toMatchObject({ delinquent: false });
  });

  it('needs the erp role besides the signature', async () => {
    const payload = JSON.stringify(delinquency(SEED.clients.person, true));
    const res = await p.app.inject({ method: 'POST', url: '/v1/erp/events', headers: { ...auth('helpdesk'), ...signedHeaders(payload, { secret: current }) }, payload });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a batch of more than 1,000 events with 413 naming the limit', async () => {
    const events = Array.from({ length: 1001 }, () => delinquency(SEED.clients.person, true));
    const res = await push(p, { events }, { secret: current });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'BATCH_TOO_LARGE', details: [{ path: 'events', limit: 1000 }] });
    expect(res.json().error.message).toContain('1000');
  });

  it('accepts a full batch of 1,000 events', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => delinquency(SEED.clients.delinquent, i % 2 === 0, new Date(Date.now() - 60_000 + i)));
    const res = await push(p, { events }, { secret: current });
    expect(res.statusCode).toBe(200);
    expect(res.json().counts).toMatchObject({ applied: 1000 });
    expect(await marker(p, SEED.clients.delinquent)).toMatchObject({ delinquent: false });
  });

  it('answers a single invalid event with 400 and its field paths', async () => {
    const res = await push(p, { id: 'e1', type: 'delinquency.updated', occurredAt: 'yesterday', data: { clientCode: 'abc', delinquent: true } }, { secret: current });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual(['occurredAt']);
  });

  it('refuses an event dated in the future (it would make every later one stale)', async () => {
    const res = await push(p, { events: [delinquency(SEED.clients.person, true, new Date(Date.now() + 3600_000))] }, { secret: current });
    expect(res.json().results[0]).toMatchObject({ outcome: 'invalid', details: [{ path: 'occurredAt', message: 'is in the future' }] });
  });
});

describe('ERP pushes without configured secrets', () => {
  it('answer 503 ERP_EVENTS_DISABLED', async () => {
    const p = await startPonte('postgres', { workers: false });
    try {
      const res = await push(p, delinquency(SEED.clients.person, true), { secret: current });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('ERP_EVENTS_DISABLED');
    } finally {
      await p.close();
    }
  });
});
