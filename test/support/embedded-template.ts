// One migrated embedded database for the whole run: initdb and every migration in WASM cost
// seconds per start (over a minute on a loaded machine), so a test that only needs an empty
// ponte database gets a copy of this one. Tests of a first start pass their own data dir.

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../src/store/db.js';
import { startEmbeddedDatabase } from '../../src/store/embedded.js';
import { migrate } from '../../src/store/migrate.js';

/** Builds the template (ponte's and BullMQ's schemas) and answers its folder. */
export async function buildEmbeddedTemplate(): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ponte-template-'));
  const embedded = await startEmbeddedDatabase(dir);
  const db = createDb(embedded.url, { max: 2 });
  try {
    await migrate(db, { bullmq: true });
  } finally {
    await db.close();
    await embedded.stop();
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Gives `dataDir` a copy of the template's database (its socket file left behind). */
export function copyEmbeddedTemplate(template: string, dataDir: string): void {
  cpSync(path.join(template, 'pgdata'), path.join(dataDir, 'pgdata'), { recursive: true });
}
