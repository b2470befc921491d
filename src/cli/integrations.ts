// `ponte integrations list|show|replay|cancel`: the admin API's services from a shell. The
// CLI opens the database only (no ERP connector, no job backend): replays go through the
// outbox, and the running server's relay sweep queues them (within OUTBOX_SWEEP_MS).

import type { Command } from 'commander';
import { cliConfig, withDb } from './db.js';
import { offlineContext } from '../admin/context.js';
import { parseFilter, type FilterInput } from '../admin/filter.js';
import { integrationDetail, listIntegrations, type IntegrationSummary } from '../admin/integration-list.js';
import { cancelIntegration, replayIntegration } from '../admin/replay.js';
import { queueBulkReplay } from '../admin/bulk-replay.js';
import { ValidationError } from '../errors.js';
import { showPayloads } from './connector.js';

const ACTOR = 'cli';

interface FilterFlags { status?: string; errorCode?: string; connector?: string; clientCode?: string; chatId?: string; since?: string; until?: string }

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function filterOf(o: FilterFlags): FilterInput {
  return { status: o.status, errorCode: o.errorCode, connector: o.connector, clientCode: o.clientCode, chatId: o.chatId, since: o.since, until: o.until };
}

function withFilterFlags(command: Command): Command {
  return command
    .option('--status <statuses>', 'pending, running, succeeded, failed, dead, cancelled (comma-separated)')
    .option('--error-code <code>')
    .option('--connector <name>')
    .option('--client-code <code>')
    .option('--chat-id <id>')
    .option('--since <iso>', 'created at or after')
    .option('--until <iso>', 'created before');
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw ValidationError.field('--limit', 'must be a positive integer');
  return n;
}

function table(items: IntegrationSummary[]): string {
  const rows = items.map((i) => [i.createdAt, i.id, i.status, i.connector, i.clientCode ?? '', `${i.attempts}/${i.replays}`, i.lastError ? `${i.lastError.code}: ${i.lastError.message}`.slice(0, 80) : '']);
  const head = ['CREATED', 'ID', 'STATUS', 'CONNECTOR', 'CLIENT', 'TRIES/REPLAYS', 'LAST ERROR'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  return [head, ...rows].map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

function parsePatch(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  try {
    const patch = JSON.parse(raw);
    if (typeof patch === 'object' && patch !== null && !Array.isArray(patch)) return patch;
  } catch {
    // reported below
  }
  throw ValidationError.field('--patch', 'must be a JSON object, e.g. \'{"productId":"00A0000011"}\'');
}

export function registerIntegrationCommands(program: Command): void {
  const integrations = program.command('integrations').description('see, replay and cancel integrations (admin)');

  withFilterFlags(integrations.command('list').description('integrations, newest first'))
    .option('--limit <n>', 'rows per page (max 500)', positive, 50)
    .option('--cursor <cursor>', 'nextCursor of the previous page')
    .option('--json', 'print JSON: {items, nextCursor}')
    .action(async (o: FilterFlags & { limit: number; cursor?: string; json?: boolean }) => {
      const page = await withDb(cliConfig(), (db) => listIntegrations(db, parseFilter(filterOf(o)), { limit: o.limit, cursor: o.cursor }));
      if (o.json) return print(JSON.stringify(page, null, 2));
      print(page.items.length ? table(page.items) : 'no integration matches');
      if (page.nextCursor) print(`\nmore: --cursor ${page.nextCursor}`);
    });

  integrations.command('show').description('one integration with every attempt (JSON)').requiredOption('--id <id>')
    .option('--payload', 'instead: the payloads ponte would send the ERP for it (dry run of each write through the configured mapping set)')
    .action(async (o: { id: string; payload?: boolean }) => {
      if (o.payload) return showPayloads(o.id);
      print(JSON.stringify(await withDb(cliConfig(), (db) => integrationDetail(db, o.id)), null, 2));
    });

  withFilterFlags(integrations.command('replay').description('replay one (--id, optionally --patch) or every failed/dead one matching the filter'))
    .option('--id <id>', 'one integration')
    .option('--patch <json>', 'JSON Merge Patch of its request (with --id)')
    .action(async (o: FilterFlags & { id?: string; patch?: string }) => {
      const cfg = cliConfig();
      if (o.id) {
        const view = await withDb(cfg, (db) => replayIntegration(offlineContext(db), o.id!, { actor: ACTOR, patch: parsePatch(o.patch) }));
        return print(`integration ${view.id} queued again (replay ${view.replays}); the running server picks it up`);
      }
      if (o.patch) throw ValidationError.field('--patch', 'only with --id');
      if (!o.status) throw ValidationError.field('--status', 'give --id <id>, or a filter with --status (e.g. --status failed)');
      const { queued, jobId } = await withDb(cfg, (db) => queueBulkReplay(offlineContext(db), filterOf(o), { actor: ACTOR }));
      print(queued ? `${queued} integration(s) queued for replay (job ${jobId}); the running server replays them in batches` : 'no integration matches');
    });

  integrations.command('cancel').description('cancel a pending, failed or dead integration').requiredOption('--id <id>')
    .action(async (o: { id: string }) => {
      const view = await withDb(cliConfig(), (db) => cancelIntegration(offlineContext(db), o.id, { actor: ACTOR }));
      print(`integration ${view.id} cancelled`);
    });
}
