// The embedded database delivers a NOTIFY to every connection LISTENing on its channel, as
// PostgreSQL does: BullMQ's workers are woken by new jobs instead of polling for them.

import { describe, expect, it } from 'vitest';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedDatabase } from '../../src/store/embedded.js';
import { listenedChannels, notificationScanner } from '../../src/store/pglite-notify.js';
import { tempDir } from '../support/ponte.js';

function notificationMessage(channel: string, payload: string): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from(`${channel}\0${payload}\0`)]);
  const head = Buffer.alloc(5);
  head[0] = 0x41;
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

describe('embedded LISTEN/NOTIFY', () => {
  it('reads the channels of LISTEN statements, comments and other statements aside', () => {
    expect(listenedChannels('-- Subscribe.\nLISTEN bullmq_jobs;\n')).toEqual(['bullmq_jobs']);
    expect(listenedChannels('LISTEN "a"; SELECT 1; listen b')).toEqual(['a', 'b']);
    expect(listenedChannels("SELECT 'LISTEN x'")).toEqual([]);
  });

  it('finds a NotificationResponse however the answer is cut into chunks', () => {
    const complete = Buffer.from([0x43, 0, 0, 0, 8, 0x41, 0x42, 0x43, 0]); // CommandComplete "ABC"
    const note = notificationMessage('bullmq_jobs', 'integrations');
    const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]); // ReadyForQuery
    const answer = Buffer.concat([complete, note, ready]);
    for (const size of [1, 2, 3, 7, answer.length]) {
      const found: Buffer[] = [];
      const scan = notificationScanner((m) => found.push(Buffer.from(m)));
      for (let at = 0; at < answer.length; at += size) scan(answer.subarray(at, at + size));
      expect(found, `chunks of ${size}`).toEqual([note]);
    }
  });

  it('wakes a LISTEN connection with a NOTIFY sent on another connection', async () => {
    const tmp = tempDir();
    const db = await startEmbeddedDatabase(path.join(tmp.dir, 'data'));
    const listener = new pg.Client({ connectionString: db.url });
    const sender = new pg.Client({ connectionString: db.url });
    try {
      await listener.connect();
      await sender.connect();
      await listener.query('-- as BullMQ subscribes\nLISTEN bullmq_jobs;');
      const heard = new Promise<pg.Notification>((resolve) => listener.on('notification', resolve));
      await sender.query("SELECT pg_notify('bullmq_jobs', 'integrations')");
      const note = await heard;
      expect(note).toMatchObject({ channel: 'bullmq_jobs', payload: 'integrations' });
      // The listener's connection still answers queries after the copy it was sent.
      expect((await listener.query('SELECT 41 + 1 AS n')).rows[0].n).toBe(42);
      await sender.query('BEGIN');
      await sender.query("SELECT pg_notify('bullmq_jobs', 'webhooks')");
      const second = new Promise<pg.Notification>((resolve) => listener.once('notification', resolve));
      await sender.query('COMMIT');
      expect((await second).payload).toBe('webhooks');
    } finally {
      await listener.end();
      await sender.end();
      await db.stop();
      tmp.remove();
    }
  });
});
