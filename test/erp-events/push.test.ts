import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startPonte, eventually, type Ponte, type Mode } from '../support/ponte.js';
import { SEED } from '../support/fixtures.js';
import type { LiveEvent } from '../../src/jobs/live.js';
import { delinquency, insertChat, marker, newSecret, outcomeOf, productVersions, push, randomClientCode, versionsOf } from './support.js';

const MAIN_MODES: Mode[] = ['embedded', 'redis'];
const secret = newSecret();

describe.each(MAIN_MODES)('ERP pushes, %s mode', (mode) => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte(mode, { env: { PONTE_ERP_SECRETS: secret } });
  });
  afterAll(async () => {
    await p.close();
  });

  it('accepts an event signed with the standardwebhooks library and applies it', async () => {
    const event = delinquency(SEED.clients.company, true);
    const res = await push(p, event, { secret });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ index: 0, id: event.id, outcome: 'applied' });
    expect(await marker(p, SEED.clients.company)).toEqual({ delinquent: true, since: '2026-01-10', reason: 'Boleto 123 vencido' });
  });

  it("stores every marker the push lists, and keeps the list when a later push lists none", async () => {
    const code = randomClientCode();
    await insertChat(p, code, 'closed');
    const listed = [{ code: 'INAD', label: 'Inadimplente', since: '2026-01-10T08:00:00Z', delinquency: true }, { code: 'VIP', label: 'Cliente VIP' }];
    expect((await push(p, delinquency(code, true, '2026-05-01T10:00:00Z', { markers: listed }), { secret })).json().outcome).toBe('applied');
    const stored = async () => (await p.deps.db.query('SELECT markers FROM client_markers WHERE client_code = $1', [code])).rows[0]!.markers;
    const expected = [{ code: 'INAD', label: 'Inadimplente', since: '2026-01-10', delinquency: true }, { code: 'VIP', label: 'Cliente VIP', since: null, delinquency: false }];
    expect(await stored()).toEqual(expected);
    expect((await push(p, delinquency(code, false, '2026-05-02T10:00:00Z'), { secret })).json().outcome).toBe('applied');
    expect([await marker(p, code), await stored()]).toEqual([{ delinquent: false, since: null, reason: null }, expected]);
    const bad = await push(p, { events: [delinquency(code, false, '2026-05-03T10:00:00Z', { markers: [{ code: 'X' }] })] }, { secret });
    expect(bad.json().results[0]).toMatchObject({ outcome: 'invalid', details: [expect.objectContaining({ path: 'data.markers.0.label' })] });
  });

  it('a replayed event id answers 200 duplicate and changes nothing', async () => {
    const code = randomClientCode();
    await insertChat(p, code, 'closed');
    const first = delinquency(code, true, '2026-03-01T10:00:00Z');
    expect((await push(p, first, { secret })).json().outcome).toBe('applied');
    await push(p, delinquency(code, false, '2026-03-02T10:00:00Z'), { secret });
    const again = await push(p, { ...first, data: { ...first.data, reason: 'changed' }, occurredAt: '2026-03-03T10:00:00Z' }, { secret });
    expect(again.statusCode).toBe(200);
    expect(again.json().outcome).toBe('duplicate');
    expect(await marker(p, code)).toMatchObject({ delinquent: false });
    const twice = delinquency(code, true, '2026-03-04T10:00:00Z');
    const batch = await push(p, { events: [twice, { ...twice, data: { ...twice.data, delinquent: false } }] }, { secret });
    expect(batch.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['applied', 'duplicate']);
    expect(await marker(p, code)).toMatchObject({ delinquent: true });
  });

  it('an event older than the stored state is recorded as stale and not applied', async () => {
    const code = randomClientCode();
    await insertChat(p, code, 'closed');
    const newer = productVersions(code, [['ERP', '5.2', '5.3', '5.3']], '2026-04-02T10:00:00.000Z');
    const older = productVersions(code, [['ERP', '5.0', '5.1', '5.1']], '2026-04-01T10:00:00.000Z');
    const res = await push(p, { events: [newer, older] }, { secret });
    expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['applied', 'stale']);
    expect(await outcomeOf(p, older.id)).toBe('stale');
    expect(await versionsOf(p, code)).toEqual([{ system: 'ERP', used: '5.2', entitled: '5.3', downloaded: '5.3' }]);

    // Judged per system: a CRM push after the ERP push, even dated earlier, is not stale.
    const crm = productVersions(code, [['CRM', '3.1', '3.1', null]], '2026-04-01T09:00:00.000Z');
    expect((await push(p, crm, { secret })).json().outcome).toBe('applied');
    const mixed = productVersions(code, [['ERP', '4.9', '4.9', '4.9'], ['Folha', '2.0', '2.0', null]], '2026-04-01T11:00:00.000Z');
    expect((await push(p, mixed, { secret })).json().outcome).toBe('applied');
    expect(await versionsOf(p, code)).toEqual([
      { system: 'CRM', used: '3.1', entitled: '3.1', downloaded: null },
      { system: 'ERP', used: '5.2', entitled: '5.3', downloaded: '5.3' },
      { system: 'Folha', used: '2.0', entitled: '2.0', downloaded: null },
    ]);

    const olderMarker = delinquency(code, true, '2026-04-01T10:00:00Z');
    await push(p, delinquency(code, false, '2026-04-01T10:00:01Z'), { secret });
    expect((await push(p, olderMarker, { secret })).json().outcome).toBe('stale');
    expect(await marker(p, code)).toMatchObject({ delinquent: false });
  });

  it('a batch with one invalid event applies the others and names the invalid field', async () => {
    const code = randomClientCode();
    await insertChat(p, code, 'closed');
    const bad = { id: `evt_${randomUUID()}`, type: 'delinquency.updated', occurredAt: new Date().toISOString(), data: { clientCode: code, delinquent: 'yes' } };
    const res = await push(p, { events: [delinquency(code, true, '2026-05-01T00:00:00Z'), bad, productVersions(code, [['ERP', '5.2', '5.2', '5.2']])] }, { secret });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['applied', 'invalid', 'applied']);
    expect(body.results[1]).toMatchObject({ index: 1, id: bad.id, details: [{ path: 'data.delinquent', message: 'must be boolean' }] });
    expect(body.counts).toMatchObject({ applied: 2, invalid: 1 });
    expect(await outcomeOf(p, bad.id)).toBeUndefined();
    expect(await marker(p, code)).toMatchObject({ delinquent: true });
  });

  it('a delinquency change reaches the SSE topic of every open chat of that client at once', async () => {
    const code = randomClientCode();
    const chatId = await insertChat(p, code, 'active');
    const received: LiveEvent[] = [];
    const unsubscribe = await p.deps.live.subscribe(`chat:${chatId}`, (e) => received.push(e));
    try {
      // The subscription is live once its own probe comes back through the job backend.
      const nonce = randomUUID();
      await eventually(async () => {
        await p.deps.live.publish(`chat:${chatId}`, 'test.probe', { nonce });
        return received.some((e) => e.data.nonce === nonce);
      }, 'live subscription ready');
      const res = await push(p, delinquency(code, true), { secret });
      expect(res.json().outcome).toBe('applied');
      const alert = await eventually(async () => received.find((e) => e.type === 'delinquency'), 'delinquency live event');
      expect(alert.data).toMatchObject({ chatId, clientCode: code, delinquent: true, since: '2026-01-10', reason: 'Boleto 123 vencido' });
    } finally {
      unsubscribe();
    }
  });

  it('events for an unknown client are kept, then applied once a chat with that client appears', async () => {
    const code = '999' + String(Math.floor(Math.random() * 1000)).padStart(3, '0');
    const events = [delinquency(code, true, '2026-06-01T00:00:00Z'), productVersions(code, [['ERP', '5.1', '5.2', '5.2']], '2026-06-01T00:00:00Z')];
    const res = await push(p, { events }, { secret });
    expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['pending_client', 'pending_client']);
    expect(await marker(p, code)).toBeUndefined();
    await insertChat(p, code, 'queued');
    await eventually(async () => (await outcomeOf(p, events[0]!.id)) === 'applied', 'kept event applied');
    expect(await marker(p, code)).toMatchObject({ delinquent: true });
    expect(await versionsOf(p, code)).toEqual([{ system: 'ERP', used: '5.1', entitled: '5.2', downloaded: '5.2' }]);
  });
});
