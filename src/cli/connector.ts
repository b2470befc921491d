// `ponte connector check` and `ponte integrations show --payload`: the configured mapping set
// run against the configured ERP from a shell (ERP_CONNECTOR, ERP_MAPPINGS_DIR and the set's own
// settings, as `ponte serve` reads them). A bad mapping file stops it with one line, as at start.

import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { ErpConnector } from '../connectors/contract.js';
import { createConnector, loadConnectorSet } from '../connectors/registry.js';
import { allHold, checkConnector, formatCheck } from '../connectors/check.js';
import { plannedPayloads } from '../integration/payloads.js';
import { getIntegration, isUuid } from '../store/integrations.js';
import { saoPauloDate } from '../domain/sao-paulo-time.js';
import { createLogger } from '../log.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { pino } from 'pino';
import { cliConfig, withDb } from './db.js';

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** The configured connector; its log lines go to stderr, so stdout holds only the report. */
async function withConnector<T>(cfg: Config, fn: (connector: ErpConnector) => Promise<T>): Promise<T> {
  const set = await loadConnectorSet(cfg.erpConnector, cfg.erpMappingsDir);
  const log = createLogger(cfg.logLevel, pino.destination(2)).child({ component: 'connector', connector: cfg.erpConnector });
  const connector = await createConnector(set, { env: process.env, log });
  try {
    return await fn(connector);
  } finally {
    await connector.close();
  }
}

function required(value: string | undefined, flag: string, example: string): string {
  if (!value?.trim()) throw ValidationError.field(flag, `give an existing one of your ERP, e.g. ${flag} ${example}`);
  return value.trim();
}

export function registerConnectorCommands(program: Command): void {
  const connector = program.command('connector').description('the ERP connector (mapping set) configured by ERP_CONNECTOR');
  connector
    .command('check')
    .description('run every read once against the ERP and dry-run every write mapping (nothing is written); exit 0 only when every call holds')
    .option('--client-code <code>', 'an existing client of the ERP')
    .option('--process-number <number>', 'an existing process of the ERP')
    .option('--json', 'print JSON: {connector, ok, calls: [{call, status, detail, path?, got?}]}')
    .action(async (o: { clientCode?: string; processNumber?: string; json?: boolean }) => {
      const clientCode = required(o.clientCode, '--client-code', '000012');
      const processNumber = required(o.processNumber, '--process-number', '10000001');
      const cfg = cliConfig();
      const lines = await withConnector(cfg, (c) => checkConnector(c, { clientCode, processNumber, today: saoPauloDate(new Date()) }));
      const ok = allHold(lines);
      if (o.json) print(JSON.stringify({ connector: cfg.erpConnector, ok, calls: lines }, null, 2));
      else {
        print(`mapping set ${cfg.erpConnector}${cfg.erpMappingsDir ? ` (${cfg.erpMappingsDir})` : ''}`);
        print(formatCheck(lines));
        print(ok ? '\nevery call holds' : `\n${lines.filter((l) => l.status === 'mismatch' || l.status === 'error').length} call(s) do not hold`);
      }
      if (!ok) process.exitCode = 1;
    });
}

/** `ponte integrations show --id X --payload`. */
export async function showPayloads(id: string): Promise<void> {
  const cfg = cliConfig();
  const planned = await withDb(cfg, async (db) => {
    const row = isUuid(id) ? await getIntegration(db, id) : undefined;
    if (!row) throw new NotFoundError('integration', id);
    return withConnector(cfg, (c) => plannedPayloads(db, c, row));
  });
  print(JSON.stringify(planned, null, 2));
}
