// The embedded database keeps PostgreSQL's shared buffers small (PGlite's memory never shrinks),
// on a new data directory and on an existing one alike; a new one is created whole or not at all.

import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
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
  }, 120_000);

  it('creates a new data directory whole (nothing left beside it), over an empty directory too', async () => {
    const tmp = tempDir();
    try {
      const dataDir = path.join(tmp.dir, 'data');
      mkdirSync(path.join(dataDir, 'pgdata'), { recursive: true });
      expect(await sharedBuffers(dataDir)).toBe('32MB');
      expect(readdirSync(dataDir).filter((f) => f.startsWith('pgdata'))).toEqual(['pgdata']);
      expect(readdirSync(path.join(dataDir, 'pgdata'))).toContain('PG_VERSION');
    } finally {
      tmp.remove();
    }
  }, 120_000);

  it('refuses a database directory that holds files but no database, and removes nothing', async () => {
    const tmp = tempDir();
    try {
      const dataDir = path.join(tmp.dir, 'data');
      mkdirSync(path.join(dataDir, 'pgdata'), { recursive: true });
      writeFileSync(path.join(dataDir, 'pgdata', 'notes.txt'), 'not a database');
      await expect(startEmbeddedDatabase(dataDir)).rejects.toThrow(/holds files but no database/);
      expect(readdirSync(path.join(dataDir, 'pgdata'))).toEqual(['notes.txt']);
    } finally {
      tmp.remove();
    }
  }, 120_000);
});
