// The `ponte` command's program: serve | worker | migrate | keys ... | integrations ... | connector check

import { Command } from 'commander';
import { serve, work } from '../process.js';
import { cliConfig as config, withDb } from './db.js';
import { registerIntegrationCommands } from './integrations.js';
import { registerConnectorCommands } from './connector.js';
import { createKey, listKeys, revokeKey } from '../auth/api-keys.js';
import { PonteError } from '../errors.js';

function out(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
}

const program = new Command('ponte').description('Helpdesk ⇄ Bimer-style ERP gateway');

program.command('serve').description('HTTP API, outbox relay and workers').action(async () => serve(config()));
program.command('worker').description('workers only (scale-out on other machines)').action(async () => work(config()));
program.command('migrate').description("apply ponte's and BullMQ's schema migrations").action(async () => {
  const cfg = config();
  await withDb(cfg, async () => undefined);
  out('migrations applied');
});

const keys = program.command('keys').description('API keys');
keys.command('create').requiredOption('--name <name>').requiredOption('--role <roles>', 'helpdesk, erp, admin; several with +').option('--profile <id>')
  .option('--require-agent', 'every write with this key must name its acting agent (X-Agent-Id)')
  .action(async (o: { name: string; role: string; profile?: string; requireAgent?: boolean }) => {
    const cfg = config();
    const { key, secret } = await withDb(cfg, async (db) => {
      const created = await createKey(db, { name: o.name, roles: o.role, profileId: o.profile, requireAgent: o.requireAgent === true });
      await db.query("INSERT INTO audit_events (actor, action, target_type, target_id, changes) VALUES ('cli', 'key.created', 'api_key', $1, $2)", [created.key.id, JSON.stringify({ name: o.name, roles: created.key.roles, requireAgent: created.key.requireAgent })]);
      return created;
    });
    out(`created key "${key.name}" (${key.roles.join('+')}${key.requireAgent ? ', every write names its agent' : ''}). Its secret, shown only now:\n${secret}`);
  });
keys.command('list').action(async () => out(await withDb(config(), (db) => listKeys(db))));
keys.command('revoke').requiredOption('--name <name>').action(async (o: { name: string }) => {
  out((await withDb(config(), (db) => revokeKey(db, o.name))) ? `revoked ${o.name}` : `no active key ${o.name}`);
});

registerIntegrationCommands(program);
registerConnectorCommands(program);

program.parseAsync().catch((err) => {
  const message = err instanceof PonteError ? `${err.code}: ${err.message}` : (err as Error).message;
  process.stderr.write(`ponte: ${message}\n`);
  process.exit(1);
});

