// Listing returns: filters, newest first with a cursor, and the retention window — closed
// returns stay listed RETURNS_RETENTION_DAYS after closing, then only with includeArchived.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startPonte, type Ponte } from '../support/ponte.js';
import { createReturn, inDays, ok, settableClock } from './fixtures.js';

describe('listing returns', () => {
  let ponte: Ponte;
  const clock = settableClock(new Date('2030-01-01T12:00:00Z'));
  const ids = async (query = '') => (await ok(ponte.app, 'GET', `/v1/returns${query}`)).items.map((i: { id: string }) => i.id);

  beforeAll(async () => {
    ponte = await startPonte('postgres', { clock, workers: false, env: { RETURNS_RETENTION_DAYS: '30' } });
  }, 60_000);
  afterAll(async () => ponte?.close());

  it('keeps a closed return listed for the retention window, then hides it unless asked', async () => {
    const { app } = ponte;
    const validUntil = inDays(400, clock.now());
    const closed = await createReturn(app, 'notice', { clientEmail: 'retention@x.example', validUntil });
    clock.advanceDays(0.01);
    const open = await createReturn(app, 'notice', { clientEmail: 'retention@x.example', validUntil });
    await ok(app, 'POST', `/v1/returns/${closed.id}/close`);
    const q = '?clientEmail=retention@x.example';
    const start = clock.now();

    clock.advanceDays(29);
    expect(await ids(q)).toEqual([open.id, closed.id]);
    clock.advanceDays(2);
    expect(await ids(q)).toEqual([open.id]);
    expect(await ids(`${q}&includeArchived=true`)).toEqual([open.id, closed.id]);
    const archived = await ok(app, 'GET', `/v1/returns/${closed.id}`);
    expect(archived).toMatchObject({ status: 'closed', archived: true });
    // Open returns never age out, however old.
    clock.advanceDays(1000);
    expect(await ids(q)).toEqual([open.id]);
    clock.set(start);
  });

  it('a return closed long ago (closed_at set in the store) is hidden by the default window', async () => {
    const { app, deps } = ponte;
    const r = await createReturn(app, 'custom', { clientEmail: 'old@x.example', validUntil: inDays(10, clock.now()) });
    await ok(app, 'POST', `/v1/returns/${r.id}/close`);
    await deps.db.query("UPDATE returns SET closed_at = closed_at - interval '31 days' WHERE id = $1", [r.id]);
    expect(await ids('?clientEmail=old@x.example')).toEqual([]);
    expect(await ids('?clientEmail=old@x.example&includeArchived=true')).toEqual([r.id]);
  });

  it('filters by status, type and client, newest first, page by page', async () => {
    const { app } = ponte;
    const made = [];
    for (let i = 0; i < 5; i++) {
      clock.advanceDays(0.01);
      made.push(await createReturn(app, i % 2 ? 'question' : 'custom', { clientEmail: 'pages@x.example', clientCode: '34', validUntil: inDays(10, clock.now()) }));
    }
    await ok(app, 'POST', `/v1/returns/${made[0]!.id}/messages`, { text: 'Pode confirmar?', awaitReply: true });
    const newestFirst = made.map((m) => m.id).reverse();

    const first = await ok(app, 'GET', '/v1/returns?clientEmail=PAGES@x.example&limit=2');
    expect(first.items.map((i: { id: string }) => i.id)).toEqual(newestFirst.slice(0, 2));
    const second = await ok(app, 'GET', `/v1/returns?clientEmail=pages@x.example&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((i: { id: string }) => i.id)).toEqual(newestFirst.slice(2, 4));
    const third = await ok(app, 'GET', `/v1/returns?clientEmail=pages@x.example&limit=2&cursor=${second.nextCursor}`);
    expect(third.items.map((i: { id: string }) => i.id)).toEqual(newestFirst.slice(4));
    expect(third.nextCursor).toBeNull();

    expect(await ids('?clientEmail=pages@x.example&type=question')).toEqual([made[3]!.id, made[1]!.id]);
    expect(await ids('?clientCode=000034&status=awaiting_client')).toEqual([made[0]!.id]);
    const badCursor = await app.inject({ method: 'GET', url: '/v1/returns?cursor=nonsense', headers: auth('helpdesk') });
    expect(badCursor.statusCode).toBe(400);
  });
});
