// Long-running processes: `serve` (HTTP + relay + workers) and `worker` (workers only). On
// SIGTERM or SIGINT (also while still starting) intake stops, running requests and jobs get
// the rest of SHUTDOWN_TIMEOUT_MS to finish, the pools close, and the process exits within
// that bound whatever still hangs (a job cut short is recovered as a stalled job).

import type { AddressInfo } from 'node:net';
import { ConfigError, listeningUrl, type Config } from './config.js';
import { seedDemo } from './admin/demo-seed.js';
import { createLogger, type Logger } from './log.js';
import { createDeps, type Deps } from './deps.js';
import { buildApp } from './app.js';
import { startWorkers, type Workers } from './jobs/workers.js';
import { loadConnectorSet, startsBuiltInSandbox } from './connectors/registry.js';

/** What is left of the shutdown bound, in ms. */
type Remaining = () => number;

/** Part of the bound kept for closing the pools once requests and jobs are done. */
const CLOSE_SHARE = 0.2;

class Shutdown {
  private stop: ((remaining: Remaining) => Promise<void>) | undefined;
  private deadline = 0;

  constructor(private readonly log: Logger, private readonly timeoutMs: number) {
    process.on('SIGTERM', () => this.request('SIGTERM'));
    process.on('SIGINT', () => this.request('SIGINT'));
  }

  /** The process is up; a signal that came while it was starting is acted on now. */
  started(stop: (remaining: Remaining) => Promise<void>): void {
    this.stop = stop;
    if (this.deadline) this.run();
  }

  private request(signal: string): void {
    // A second signal (a terminal's Ctrl-C reaches npm and node both) changes nothing.
    if (this.deadline) return;
    this.deadline = Date.now() + this.timeoutMs;
    this.log.info({ signal, timeoutMs: this.timeoutMs }, 'shutting down: intake stopped, running work may finish');
    setTimeout(() => {
      this.log.error({ timeoutMs: this.timeoutMs }, 'shutdown did not finish within SHUTDOWN_TIMEOUT_MS; exiting now');
      process.exit(1);
    }, this.timeoutMs).unref();
    if (this.stop) this.run();
  }

  private run(): void {
    this.stop!(() => Math.max(0, this.deadline - Date.now()))
      .then(() => {
        this.log.info('stopped');
        process.exit(0);
      })
      .catch((err) => {
        this.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  }
}

/** Resolves when `p` does or after `ms`, then runs `onLate` (which must make `p` settle soon). */
async function within(p: Promise<unknown>, ms: number, onLate: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const outcome = await Promise.race([p.then(() => 'done' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    onLate();
    await p.catch(() => undefined);
  }
}

function startJobs(deps: Deps): Workers {
  const workers = startWorkers(deps);
  deps.relay.start();
  return workers;
}

export async function serve(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  const shutdown = new Shutdown(log, config.shutdownTimeoutMs);
  const deps = await createDeps(config, log);
  // The demo team is seeded while the routes are built (it waits on the database, they on the CPU).
  const seeded = deps.onBuiltInSandbox ? seedDemo(deps, log).catch((err) => log.error({ err }, 'demo team not seeded')) : undefined;
  const app = await buildApp(deps);
  await seeded;
  await app.listen({ port: config.port, host: config.host });
  // The workers and the relay start once the API listens: setting up their queues, pools and
  // listeners is not on the way to the first answer (what the API accepts meanwhile waits in the outbox).
  const workers = startJobs(deps);
  // PORT=0 picks a free port: links to clients then name the one taken.
  if (config.port === 0 && !process.env.PUBLIC_URL?.trim()) config.publicUrl = listeningUrl(config.host, (app.server.address() as AddressInfo).port);
  log.info({ mode: { store: config.databaseUrl ? 'postgresql' : 'embedded', jobs: deps.jobs.kind, connector: deps.connector.name } }, 'ponte is serving');
  shutdown.started(async (remaining) => {
    const drain = remaining() * (1 - CLOSE_SHARE);
    // New connections are refused at once; requests in flight and running jobs finish together.
    await Promise.all([
      within(app.close(), drain, () => app.server.closeAllConnections()),
      workers.close(drain),
    ]);
    await deps.close();
  });
}

/**
 * A worker shares the server's database and ERP. Without them it would quietly start a private
 * embedded database or a private sandbox ERP, and the integrations it runs would reach neither
 * the server's rows nor the real ERP: refused with a clear message instead.
 */
export async function refuseLoneWorker(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!config.databaseUrl) {
    throw new ConfigError('ponte worker needs DATABASE_URL (the database `ponte serve` uses): without it the worker would open a private embedded database of its own');
  }
  const set = await loadConnectorSet(config.erpConnector, config.erpMappingsDir);
  const setting = set.settings.url.env;
  if (await onBuiltInSandbox(config, env)) {
    throw new ConfigError(`ponte worker needs ${setting} (the ERP \`ponte serve\` talks to): without it the worker would start a private sandbox ERP of its own, and the integrations it runs would never reach your ERP`);
  }
}

/** Only a mapping set with a built-in stand-in ERP starts one, when its URL is unset. */
export async function onBuiltInSandbox(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return startsBuiltInSandbox(await loadConnectorSet(config.erpConnector, config.erpMappingsDir), env);
}

export async function work(config: Config): Promise<void> {
  await refuseLoneWorker(config);
  const log = createLogger(config.logLevel);
  const shutdown = new Shutdown(log, config.shutdownTimeoutMs);
  const deps = await createDeps(config, log);
  const workers = startJobs(deps);
  log.info({ jobs: deps.jobs.kind }, 'ponte worker started');
  shutdown.started(async (remaining) => {
    await workers.close(remaining() * (1 - CLOSE_SHARE));
    await deps.close();
  });
}
