import { describe, it, expect } from 'vitest';
import { startPonte } from '../support/ponte.js';
import { applyFacts } from '../../src/erp-events/apply.js';
import { insertSubscription } from '../../src/webhooks/store.js';

describe('applying markers concurrently', () => {
  it('announces a first-seen client\'s change once, however many transactions race', async () => {
    const p = await startPonte('postgres', { workers: false, relay: false });
    try {
      // Someone listens for the change, so its announcement is queued for fan-out (counted below).
      await insertSubscription(p.deps.db, { url: 'https://hooks.example.com/ponte', events: ['client.delinquency.changed'], secret: 'whsec_test', createdBy: 'test' });
      const fact = (ms: number) => ({ type: 'delinquency.updated' as const, occurredAt: new Date(Date.UTC(2026, 10, 1, 12, 0, 0, ms)).toISOString(), data: { clientCode: '000777', delinquent: true } });
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => p.deps.db.tx((q) => applyFacts(q, [fact(i)]))));
      expect(results.reduce((n, r) => n + r.changes.length, 0)).toBe(1);
      const { rows } = await p.deps.db.query("SELECT count(*)::int AS n FROM outbox WHERE payload->'event'->>'type' = 'client.delinquency.changed'");
      expect(rows[0]!.n).toBe(1);
    } finally {
      await p.close();
    }
  });
});
