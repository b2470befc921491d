// Builds what every process needs from the config: the store (PostgreSQL or embedded PGlite),
// migrations, the job engine, the outbox relay, the ERP connector, mappings and lookups.

import path from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createDb, type Db } from './store/db.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './store/embedded.js';
import { migrate } from './store/migrate.js';
import { JobEngine } from './jobs/engine.js';
import { OutboxRelay } from './jobs/outbox.js';
import { jobOptionsFor } from './jobs/queues.js';
import { LiveEvents } from './jobs/live.js';
import { createConnector, loadManifest } from './connectors/registry.js';
import type { ErpConnector } from './connectors/contract.js';
import { Mappings } from './integration/mappings.js';
import { PayloadValidator, loadSchemas } from './schemas.js';
import { LookupCache } from './integration/lookups.js';
import { parseKeySpecs, seedKeys } from './auth/api-keys.js';
import { systemClock, type Clock } from './clock.js';

/** Embedded PGlite cannot wake workers with NOTIFY: they poll this often instead. */
const EMBEDDED_POLL_MS = 200;

export interface Deps {
  config: Config;
  log: Logger;
  clock: Clock;
  db: Db;
  jobs: JobEngine;
  relay: OutboxRelay;
  live: LiveEvents;
  connector: ErpConnector;
  mappings: Mappings;
  payloads: PayloadValidator;
  lookups: LookupCache;
  /** Where uploads are written. */
  uploadDir: string;
  close(): Promise<void>;
}

export interface DepsOptions {
  /** Prefix of queue names (tests isolate themselves with a random one). */
  namespace?: string;
  clock?: Clock;
  /** Use this connector instead of the configured one (tests). */
  connector?: ErpConnector;
  env?: NodeJS.ProcessEnv;
  /** Apply migrations at start (default true). */
  migrate?: boolean;
}

export async function createDeps(config: Config, log: Logger, options: DepsOptions = {}): Promise<Deps> {
  const cleanups: Array<() => Promise<void>> = [];
  try {
    let embedded: EmbeddedDatabase | undefined;
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      embedded = await startEmbeddedDatabase(config.dataDir);
      cleanups.push(() => embedded!.stop());
      databaseUrl = embedded.url;
      log.info({ dataDir: path.resolve(config.dataDir) }, 'embedded database (PGlite) started');
    }
    const db = createDb(databaseUrl, embedded ? 8 : 20);
    cleanups.push(() => db.close());
    if (options.migrate !== false) {
      const { applied } = await migrate(db, { bullmq: !config.redisUrl });
      if (applied.length) log.info({ applied }, 'migrations applied');
    }
    if (config.apiKeys) await seedKeys(db, parseKeySpecs(config.apiKeys));

    const jobs = new JobEngine({
      redisUrl: config.redisUrl,
      databaseUrl,
      namespace: options.namespace ?? config.queuePrefix,
      backoffMs: config.jobBackoffMs,
      stalledIntervalMs: config.stalledIntervalMs,
      pollMs: embedded ? EMBEDDED_POLL_MS : undefined,
    });
    cleanups.push(() => jobs.close());
    const relay = new OutboxRelay(db, jobs, jobOptionsFor(config), log.child({ component: 'outbox' }), config.outboxSweepMs);
    cleanups.push(() => relay.stop());

    const connectorLog = log.child({ component: 'connector', connector: config.erpConnector });
    const connector = options.connector ?? (await createConnector(config.erpConnector, options.env ?? process.env, { log: connectorLog }));
    cleanups.push(() => connector.close());
    const manifest = await loadManifest(connector.name);
    const mappings = await Mappings.load(connector.name, manifest.operations);
    const payloads = new PayloadValidator(await loadSchemas('connectors'));

    const deps: Deps = {
      config,
      log,
      clock: options.clock ?? systemClock,
      db,
      jobs,
      relay,
      live: new LiveEvents(jobs),
      connector,
      mappings,
      payloads,
      lookups: new LookupCache(connector, config.lookupCacheTtlMs),
      uploadDir: path.resolve(config.uploadDir ?? path.join(config.dataDir, 'uploads')),
      async close() {
        for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((err) => log.warn({ err }, 'cleanup failed'));
      },
    };
    return deps;
  } catch (err) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    throw err;
  }
}
