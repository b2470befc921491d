// The ERP_MAX_CONCURRENT slots in PostgreSQL: a call waits while every slot is held, a hold of a
// process that died (its lease not renewed) frees itself, and a call that waits too long fails as
// a transient ERP_BUSY, never a hang.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { ErpSlots, LocalSlots } from '../../src/jobs/erp-slots.js';
import { ConnectorError } from '../../src/errors.js';
import { eventually, freshDatabase } from '../support/ponte.js';

/** A hold as a crashed process leaves it: nobody renews it, nobody releases it. */
async function holdOfADeadProcess(db: Db, slot: number, leaseMs: number): Promise<void> {
  await db.query("INSERT INTO erp_slots (slot, owner, token, until) VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000))", [slot, randomUUID(), randomUUID(), leaseMs]);
}

describe('ERP slots (ERP_MAX_CONCURRENT in PostgreSQL)', () => {
  let db: Db;
  beforeAll(async () => {
    db = createDb(await freshDatabase(), { max: 4 });
    await migrate(db, { bullmq: false });
  });
  afterAll(async () => {
    await db.close();
  });

  it('runs at most cap calls at once across holders, and frees each slot when its call ends', async () => {
    const a = new ErpSlots(db, { cap: 2 });
    const b = new ErpSlots(db, { cap: 2 });
    let inFlight = 0;
    let peak = 0;
    const call = async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      return 'answered';
    };
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).run(call)));
    expect(results).toEqual(Array(8).fill('answered'));
    expect(peak).toBe(2);
    await Promise.all([a.close(), b.close()]);
    expect(await ErpSlots.inUse(db)).toBe(0);
  });

  it('keeps a slot given back for the same process\'s next call, without a statement, then gives it back', async () => {
    const statements: string[] = [];
    const counted = { query: (text: string, values?: unknown[]) => (statements.push(text), db.query(text, values)) } as unknown as Db;
    const slots = new ErpSlots(counted, { cap: 1, lingerMs: 200 });
    await slots.run(async () => 'first');
    const afterFirst = statements.length;
    expect(await slots.run(async () => ErpSlots.inUse(db))).toBe(1);
    expect(statements.slice(afterFirst)).toEqual([]);
    // Nobody asks for it within lingerMs: it is given back.
    await eventually(async () => (await ErpSlots.inUse(db)) === 0, 'the kept slot given back');
    await slots.close();
  });

  it('a process calling without pause gives its kept slot up after keepMaxMs: another process waiting gets its turn', async () => {
    const busy = new ErpSlots(db, { cap: 1, lingerMs: 1000, keepMaxMs: 200 });
    const other = new ErpSlots(db, { cap: 1, waitMs: 3000 });
    let waited = false;
    try {
      await busy.run(async () => undefined);
      const waiting = other.run(async () => 'had its turn').catch((err: unknown) => err).finally(() => (waited = true));
      // The busy process calls back to back for as long as the other waits (ERP_BUSY after 3 s).
      while (!waited) await busy.run(async () => new Promise((r) => setImmediate(r)));
      expect(await waiting).toBe('had its turn');
    } finally {
      await Promise.all([busy.close(), other.close()]);
    }
    expect(await ErpSlots.inUse(db)).toBe(0);
  });

  it('a slot held by a process that died is free again once its lease runs out', async () => {
    await holdOfADeadProcess(db, 0, 300);
    const slots = new ErpSlots(db, { cap: 1, waitMs: 10_000, lingerMs: 0 });
    expect(await slots.run(async () => ErpSlots.inUse(db))).toBe(1);
    expect(await ErpSlots.inUse(db)).toBe(0);
  });

  it('a call that finds every slot taken for longer than its wait fails as transient ERP_BUSY and holds nothing', async () => {
    await holdOfADeadProcess(db, 0, 60_000);
    const slots = new ErpSlots(db, { cap: 1, waitMs: 200 });
    let ran = false;
    const failure = await slots.run(async () => (ran = true)).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ConnectorError);
    expect(failure).toMatchObject({ code: 'ERP_BUSY', kind: 'transient' });
    expect(ran).toBe(false);
    await db.query('DELETE FROM erp_slots');
  });

  it('a failing call gives its slot back', async () => {
    const slots = new ErpSlots(db, { cap: 1, lingerMs: 0 });
    await expect(slots.run(async () => Promise.reject(new Error('the ERP said no')))).rejects.toThrow('the ERP said no');
    expect(await ErpSlots.inUse(db)).toBe(0);
  });
});

describe('ERP slots in one process (embedded mode)', () => {
  it('runs at most cap calls at once, hands each freed slot to the next waiter, and frees it on failure too', async () => {
    const slots = new LocalSlots(2);
    let inFlight = 0;
    let peak = 0;
    const call = (fail: boolean) => async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      if (fail) throw new Error('the ERP said no');
      return 'answered';
    };
    const results = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => slots.run(call(i % 3 === 0))));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
    expect(peak).toBe(2);
    expect(await slots.run(async () => 'still free')).toBe('still free');
  });
});
