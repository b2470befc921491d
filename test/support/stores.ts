// A bare store (db + migrations) in embedded PGlite (a copy of the run's migrated template
// unless a data dir is given) or on the test PostgreSQL server.

import { createDb, type Db } from '../../src/store/db.js';
import { startEmbeddedDatabase } from '../../src/store/embedded.js';
import { migrate } from '../../src/store/migrate.js';
import { inject } from 'vitest';
import { freshDatabase, tempDir } from './ponte.js';
import { copyEmbeddedTemplate } from './embedded-template.js';

export type StoreKind = 'pglite' | 'postgres';

export async function openStore(kind: StoreKind, dataDir?: string): Promise<{ db: Db; url: string; close(): Promise<void> }> {
  if (kind === 'postgres') {
    const url = await freshDatabase();
    const db = createDb(url, { max: 4, prepare: true });
    await migrate(db, { bullmq: true });
    return { db, url, close: () => db.close() };
  }
  const tmp = dataDir ? undefined : tempDir();
  if (tmp) copyEmbeddedTemplate(inject('embeddedTemplate'), tmp.dir);
  const embedded = await startEmbeddedDatabase(dataDir ?? tmp!.dir);
  const db = createDb(embedded.url, { max: 4 });
  await migrate(db, { bullmq: true });
  return {
    db,
    url: embedded.url,
    async close() {
      await db.close();
      await embedded.stop();
      tmp?.remove();
    },
  };
}
