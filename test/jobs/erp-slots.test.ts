// The ERP_MAX_CONCURRENT slots in PostgreSQL: a call waits while every slot is held, a hold of a
// process that died (its lease not renewed) frees itself, and a call that waits too long fails as
// a transient ERP_BUSY, never a hang.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { ErpSlots, LocalSlots } from '../../src/jobs/erp-slots.js';
import { ConnectorError } from '../../src/errors.js';
import { freshDatabase } from '../support/ponte.js';

/** A hold as a crashed process leaves it: nobody renews it, nobody releases it. */
async function holdOfADeadProcess(db: Db, slot: number, leaseMs: number): Promise<void> {
  await db.query("INSERT INTO erp_slots (slot, owner, token, until) VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000))", [slot, randomUUID(), randomUUID(), leaseMs]);
}

describe('ERP slots (ERP_MAX_CONCURRENT in PostgreSQL)', () => {
  let db: Db;
  beforeAll(async () => {
    db = createDb(await freshDatabase(), 4);
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
    expect(await ErpSlots.inUse(db)).toBe(0);
  });

  it('a slot held by a process that died is free again once its lease runs out', async () => {
    await holdOfADeadProcess(db, 0, 300);
    const slots = new ErpSlots(db, { cap: 1, waitMs: 10_000 });
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
    const slots = new ErpSlots(db, { cap: 1 });
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
