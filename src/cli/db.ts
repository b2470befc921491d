// What every CLI command needs: the config (a bad setting exits 2 with one line) and a
// migrated database handle (the embedded PGlite in DATA_DIR when DATABASE_URL is unset).

import { ConfigError, loadConfig, type Config } from '../config.js';
import { createDb, type Db } from '../store/db.js';
import { startEmbeddedDatabase } from '../store/embedded.js';
import { migrate } from '../store/migrate.js';

export function cliConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ponte: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** Runs `fn` with a database handle (embedded when DATABASE_URL is unset), migrated. */
export async function withDb<T>(cfg: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const embedded = cfg.databaseUrl ? undefined : await startEmbeddedDatabase(cfg.dataDir);
  const db = createDb(cfg.databaseUrl ?? embedded!.url, { max: 2 });
  try {
    await migrate(db, { bullmq: !cfg.redisUrl });
    return await fn(db);
  } finally {
    await db.close();
    await embedded?.stop();
  }
}
