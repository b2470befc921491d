// The embedded database keeps PostgreSQL's shared buffers small (PGlite's memory never shrinks),
// on a new data directory and on an existing one alike.

import { describe, expect, it } from 'vitest';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedDatabase } from '../../src/store/embedded.js';
import { tempDir } from '../support/ponte.js';

async function sharedBuffers(dataDir: string): Promise<string> {
  const db = await startEmbeddedDatabase(dataDir);
  const client = new pg.Client({ connectionString: db.url });
  try {
    await client.connect();
    return (await client.query('SHOW shared_buffers')).rows[0].shared_buffers;
  } finally {
    await client.end();
    await db.stop();
  }
}

describe('embedded database memory', () => {
  it('runs with 32 MB of shared buffers, created new and reopened', async () => {
    const tmp = tempDir();
    try {
      const dataDir = path.join(tmp.dir, 'data');
      expect(await sharedBuffers(dataDir)).toBe('32MB');
      expect(await sharedBuffers(dataDir)).toBe('32MB');
    } finally {
      tmp.remove();
    }
  });
});
