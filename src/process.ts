// Long-running processes: `serve` (HTTP + relay + workers) and `worker` (workers only),
// with a graceful SIGTERM: stop intake, let running jobs finish within a bound, close pools.

import type { Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { createDeps, type Deps } from './deps.js';
import { buildApp } from './app.js';
import { startWorkers, type Workers } from './jobs/workers.js';

function onSignals(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    stop()
      .then(() => process.exit(0))
      .catch((err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}

async function start(config: Config, log: Logger): Promise<{ deps: Deps; workers: Workers }> {
  const deps = await createDeps(config, log);
  const workers = startWorkers(deps);
  deps.relay.start();
  return { deps, workers };
}

export async function serve(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  const { deps, workers } = await start(config, log);
  const app = await buildApp(deps);
  await app.listen({ port: config.port, host: config.host });
  log.info({ mode: { store: config.databaseUrl ? 'postgresql' : 'embedded', jobs: deps.jobs.kind, connector: deps.connector.name } }, 'ponte is serving');
  onSignals(log, async () => {
    await app.close();
    await workers.close(config.shutdownTimeoutMs);
    await deps.close();
  });
}

export async function work(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  const { deps, workers } = await start(config, log);
  log.info({ jobs: deps.jobs.kind }, 'ponte worker started');
  onSignals(log, async () => {
    await workers.close(config.shutdownTimeoutMs);
    await deps.close();
  });
}
