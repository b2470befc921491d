// Builds what every process needs from the config: the store (PostgreSQL or embedded PGlite),
// migrations, the job engine, the outbox relay, the ERP connector (its mapping set; observed:
// traced, timed, its state tracked), lookups and tracing.

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
import { ErpSlots, LocalSlots, boundConnector, type Slots } from './jobs/erp-slots.js';
import { createConnector, loadConnectorSet, startsBuiltInSandbox } from './connectors/registry.js';
import type { ErpConnector } from './connectors/contract.js';
import { LookupCache } from './integration/lookups.js';
import { StrandedSweep } from './integration/stranded.js';
import { parseKeySpecs, seedKeys } from './auth/api-keys.js';
import { systemClock, type Clock } from './clock.js';
import { HelpdeskRegistry } from './helpdesks/registry.js';
import { createTracing, type Tracing } from './telemetry/tracing.js';
import { tracedProcessor } from './telemetry/jobs.js';
import { observeConnector, type ErpCallListener } from './telemetry/erp-calls.js';
import { ErpState } from './health/erp-state.js';
import { metricsOf } from './admin/metrics.js';
import { Keyring, parseSecretKey } from './secrets/keyring.js';
import { embeddedSecretKey, privateDir } from './secrets/private-files.js';
import { resealSecrets } from './secrets/rotate.js';

export interface Deps {
  config: Config;
  log: Logger;
  clock: Clock;
  db: Db;
  jobs: JobEngine;
  relay: OutboxRelay;
  live: LiveEvents;
  connector: ErpConnector;
  /** The connector talks to the built-in sandbox ERP it started (its mapping set's URL is unset). */
  onBuiltInSandbox: boolean;
  /** The ERP_MAX_CONCURRENT bound every call of `connector` holds; a job holds one slot for all its calls. */
  erpSlots: Slots;
  lookups: LookupCache;
  /** Chatwoot, Zammad, ...: mappings/helpdesks/ with their settings. */
  helpdesks: HelpdeskRegistry;
  /** Seals secrets kept in the database; derives the admin session's signing key. */
  keyring: Keyring;
  /** Where uploads are written. */
  uploadDir: string;
  /** Spans (OpenTelemetry) when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise off. */
  tracing: Tracing;
  /** The ERP's state from its calls' outcomes (/ready, /metrics). */
  erp: ErpState;
  /** Told of every ERP call as it ends (metrics, ERP state). */
  erpCallListeners: ErpCallListener[];
  close(): Promise<void>;
}

export interface DepsOptions {
  /** Prefix of queue names (tests isolate themselves with a random one). */
  namespace?: string;
  clock?: Clock;
  /** Use this connector instead of the configured one (tests). */
  connector?: ErpConnector;
  env?: NodeJS.ProcessEnv;
  /** Apply migrations, then re-seal stored secrets, at start (default true). */
  migrate?: boolean;
  /** Read helpdesk adapters from this folder instead of mappings/helpdesks (tests). */
  helpdesksDir?: string;
  /** Use this tracing instead of the one OTEL_* configures (tests: an in-memory exporter). */
  tracing?: Tracing;
}

/** PONTE_SECRET_KEY (+ _PREVIOUS), or in embedded mode the key kept in DATA_DIR. */
export async function keyringFor(config: Config, log: Logger): Promise<Keyring> {
  const previous = config.secretKeyPrevious ? parseSecretKey(config.secretKeyPrevious) : undefined;
  if (config.secretKey) return new Keyring(parseSecretKey(config.secretKey)!, previous);
  const { key, created, file } = await embeddedSecretKey(config.dataDir);
  if (created) log.info({ file }, 'PONTE_SECRET_KEY unset: generated a secret key for this data folder (back it up with the database)');
  return new Keyring(key, previous);
}

export async function createDeps(config: Config, log: Logger, options: DepsOptions = {}): Promise<Deps> {
  const cleanups: Array<() => Promise<void>> = [];
  // Embedded, the database thread starts first: it opens PGlite on the second core while this
  // thread reads the mapping set and the rest.
  const starting = config.databaseUrl ? undefined : startEmbeddedDatabase(config.dataDir);
  starting?.catch(() => undefined);
  let embedded: EmbeddedDatabase | undefined;
  try {
    // First, before any server listens: a bad mapping file stops the start with one line.
    const set = options.connector ? undefined : await loadConnectorSet(config.erpConnector, config.erpMappingsDir);
    const tracing = options.tracing ?? (await createTracing(options.env ?? process.env));
    // First in, last out: spans of the shutdown itself are exported too.
    cleanups.push(() => tracing.shutdown());
    const keyring = await keyringFor(config, log);
    const uploadDir = await privateDir(path.resolve(config.uploadDir ?? path.join(config.dataDir, 'uploads')));
    // What needs no database is made while the embedded one opens: the ERP connector (and the
    // built-in sandbox ERP) and the helpdesk adapters.
    const connectorLog = log.child({ component: 'connector', connector: config.erpConnector });
    const erpConnector = options.connector ?? (await createConnector(set!, { env: options.env ?? process.env, log: connectorLog, dataDir: config.dataDir }));
    cleanups.push(() => erpConnector.close());
    const helpdesks = await HelpdeskRegistry.create(config, options.env ?? process.env, options.helpdesksDir);
    if (starting) {
      const started = await starting;
      embedded = started;
      cleanups.push(() => started.stop());
      log.info({ dataDir: path.resolve(config.dataDir) }, 'embedded database (PGlite) started');
    }
    const databaseUrl = embedded?.url ?? config.databaseUrl!;
    const db = createDb(databaseUrl, embedded ? { max: 8 } : { max: 20, prepare: config.databasePreparedStatements });
    cleanups.push(() => db.close());
    if (options.migrate !== false) {
      const { applied } = await migrate(db, { bullmq: !config.redisUrl });
      if (applied.length) log.info({ applied }, 'migrations applied');
      // Secrets sealed under a previous key (or before sealing existed) are sealed again once the schema is known.
      await resealSecrets(db, keyring, log);
    }
    if (config.apiKeys) {
      const { skippedRevoked } = await seedKeys(db, parseKeySpecs(config.apiKeys));
      for (const name of skippedRevoked) log.warn({ key: name }, `PONTE_API_KEYS entry "${name}" was revoked; it stays revoked (give it a new secret to bring it back)`);
    }

    const jobs = new JobEngine({
      redisUrl: config.redisUrl,
      databaseUrl,
      namespace: options.namespace ?? config.queuePrefix,
      backoffMs: config.jobBackoffMs,
      retryScale: config.jobRetryScale,
      stalledIntervalMs: config.stalledIntervalMs,
      instrument: (queue, processor) => tracedProcessor(tracing, queue, processor),
      onWorkerError: (queue, err, waitMs) =>
        log.warn({ component: 'jobs', queue, error: err.message, code: (err as { code?: string }).code, waitMs }, 'job worker error; its next fetch waits'),
    });
    cleanups.push(() => jobs.close());
    const relay = new OutboxRelay(db, jobs, jobOptionsFor(config), log.child({ component: 'outbox' }), config.outboxSweepMs);
    cleanups.push(() => relay.stop());

    const erpCallListeners: ErpCallListener[] = [];
    const observed = observeConnector(erpConnector, tracing, erpCallListeners);
    // Every ERP call of this process, a job's or a lookup's, holds one of the installation's
    // ERP_MAX_CONCURRENT slots while it runs (the wait for a slot is not timed as an ERP call).
    // Embedded, this process is the whole installation: the bound is kept in memory.
    const slots = embedded ? new LocalSlots(config.erpMaxConcurrent) : new ErpSlots(db, { cap: config.erpMaxConcurrent });
    cleanups.push(() => slots.close());
    const connector = boundConnector(observed, slots);
    const erp = new ErpState(() => connector.ping());
    erpCallListeners.push((call) => erp.observe(call.error));

    const deps: Deps = {
      config,
      log,
      clock: options.clock ?? systemClock,
      db,
      jobs,
      relay,
      live: new LiveEvents(jobs),
      connector,
      onBuiltInSandbox: set ? startsBuiltInSandbox(set, options.env ?? process.env) : false,
      erpSlots: slots,
      lookups: new LookupCache(connector, config.lookupCacheTtlMs, config.lookupMissTtlMs),
      helpdesks,
      keyring,
      uploadDir,
      tracing,
      erp,
      erpCallListeners,
      async close() {
        for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((err) => log.warn({ err }, 'cleanup failed'));
      },
    };
    // Created now, so that its counters see every call from the start.
    metricsOf(deps);
    const stranded = new StrandedSweep(deps, config.outboxSweepMs);
    relay.alsoSweep(() => stranded.run());
    return deps;
  } catch (err) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    // Failed before the database was waited for: it is stopped once it has started.
    if (starting && !embedded) await starting.then((db) => db.stop(), () => undefined);
    throw err;
  }
}
