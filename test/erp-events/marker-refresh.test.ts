import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { startPonte, eventually, type Ponte } from '../support/ponte.js';
import { SEED } from '../support/fixtures.js';
import { insertChat, marker } from './support.js';
import { insertSubscription } from '../../src/webhooks/store.js';

describe('marker pull for ERPs that cannot push (MARKER_REFRESH_MS)', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', { env: { MARKER_REFRESH_MS: '300' } });
  });
  afterAll(async () => {
    await p.close();
  });

  it('refreshes the markers of clients with open chats through the connector', async () => {
    // Someone must listen for the change event to be queued for fan-out (counted below).
    await insertSubscription(p.deps.db, { url: 'https://hooks.example.com/ponte', events: ['client.delinquency.changed'], secret: 'whsec_test', createdBy: 'test' });
    await insertChat(p, SEED.clients.delinquent, 'active');
    await insertChat(p, SEED.clients.person, 'closed');
    const found = await eventually(() => marker(p, SEED.clients.delinquent), 'pulled marker');
    expect(found).toEqual({ delinquent: true, since: '2024-03-01', reason: 'CLIENTE INADIMPLENTE' });
    expect(await marker(p, SEED.clients.person)).toBeUndefined();
    const { rows } = await p.deps.db.query("SELECT count(*)::int AS n FROM outbox WHERE name = 'fanout' AND payload->'event'->>'type' = 'client.delinquency.changed'");
    expect(rows[0]!.n).toBe(1);
  });

  it('runs as a BullMQ job scheduler on the webhooks queue, beside the pending sweep', async () => {
    const schedulers = await p.deps.jobs.queue('webhooks').getJobSchedulers();
    expect(schedulers.map((s: { key: string; every?: number | null }) => [s.key, Number(s.every)]).sort()).toEqual([['erp-pending', 5000], ['marker-refresh', 300]]);
  });
});
