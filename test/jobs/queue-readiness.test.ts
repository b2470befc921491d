// A queue first used while the database refuses new connections (PostgreSQL backend) works
// once the database lets ponte in again, without a restart: BullMQ keeps a queue's failed first
// connection, so ponte drops such a queue and makes a new one at the next call.

import { afterAll, describe, expect, it } from 'vitest';
import { JobEngine } from '../../src/jobs/engine.js';
import { eventually, uniqueName } from '../support/ponte.js';
import { limitedDatabase } from '../support/limited-role.js';

describe('a queue first used while the database refuses connections', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('fails while refused, then takes jobs once the database lets it in', async () => {
    const database = await limitedDatabase();
    closers.push(() => database.drop());
    const engine = new JobEngine({ databaseUrl: database.url, namespace: `${uniqueName('q')}-`, backoffMs: 20 });
    closers.push(() => engine.close());

    await database.limit(0);
    await expect(engine.add('late', 'job', {}, { jobId: 'refused' })).rejects.toThrow(/too many connections for role/);
    await database.limit(-1);

    await eventually(async () => engine.add('late', 'job', {}, { jobId: 'let-in' }).then(() => true, () => false), 'the queue to take a job again');
    const counts = await engine.queue('late').getJobCounts('waiting');
    expect(counts.waiting).toBe(1);
  });
});
