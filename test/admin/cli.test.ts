import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openStore } from '../support/stores.js';
import { startPonte, eventually, SECRET_KEY } from '../support/ponte.js';
import { sandbox } from '../support/fixtures.js';
import { PROJECT_ROOT } from '../../src/schemas.js';
import type { Db } from '../../src/store/db.js';
import { insertChat, insertIntegrations } from './rows.js';
import { PONTE } from '../support/ponte-command.js';

const run = promisify(execFile);

describe('ponte integrations (CLI)', () => {
  let store: { db: Db; url: string; close(): Promise<void> };
  let failed: string[];
  beforeAll(async () => {
    store = await openStore('postgres');
    const chatId = await insertChat(store.db);
    failed = await insertIntegrations(store.db, { count: 30, chatId, status: 'failed', errorCode: 'UNKNOWN_PRODUCT' });
    await insertIntegrations(store.db, { count: 5, chatId, status: 'failed', errorCode: 'LOOKUP_MISMATCH' });
    await insertIntegrations(store.db, { count: 5, chatId, status: 'succeeded', errorCode: null });
  });
  afterAll(() => store.close());

  async function ponte(...args: string[]): Promise<string> {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: store.url, PONTE_SECRET_KEY: SECRET_KEY, LOG_LEVEL: 'silent' };
    delete env.REDIS_URL;
    const { stdout } = await run(process.execPath, [...PONTE, ...args], { cwd: PROJECT_ROOT, env });
    return stdout;
  }

  it('lists by status and error code, as a table or as JSON pages', async () => {
    const page = JSON.parse(await ponte('integrations', 'list', '--status', 'failed', '--error-code', 'UNKNOWN_PRODUCT', '--limit', '20', '--json'));
    expect(page.items).toHaveLength(20);
    expect(page.items.every((i: { status: string; lastError: { code: string } }) => i.status === 'failed' && i.lastError.code === 'UNKNOWN_PRODUCT')).toBe(true);
    const rest = JSON.parse(await ponte('integrations', 'list', '--status', 'failed', '--error-code', 'UNKNOWN_PRODUCT', '--json', '--cursor', page.nextCursor));
    expect(rest.items).toHaveLength(10);
    expect(rest.nextCursor).toBeNull();
    const text = await ponte('integrations', 'list', '--status', 'failed', '--error-code', 'LOOKUP_MISMATCH');
    expect(text.split('\n')[0]).toMatch(/^CREATED\s+ID\s+STATUS/);
    expect(text.trim().split('\n')).toHaveLength(6);
    expect(text).toContain('LOOKUP_MISMATCH: falhou: LOOKUP_MISMATCH');
  }, 90_000);

  it('replays one, then the rest by filter; a running server drains the outbox', async () => {
    const one = await ponte('integrations', 'replay', '--id', failed[0]!, '--patch', '{"subject":"Assunto revisto"}');
    expect(one).toContain(`integration ${failed[0]} queued again (replay 1)`);
    const bulk = await ponte('integrations', 'replay', '--status', 'failed', '--error-code', 'UNKNOWN_PRODUCT');
    expect(bulk).toMatch(/^29 integration\(s\) queued for replay \(job bulk-replay-/);
    const audit = await store.db.query("SELECT action, actor FROM audit_events WHERE actor = 'cli' ORDER BY id");
    expect(audit.rows.map((r) => r.action)).toEqual(['integration.patched', 'integration.replayed', 'integrations.bulk_replay_queued']);
    await expect(ponte('integrations', 'replay')).rejects.toMatchObject({ stderr: expect.stringContaining('--status') });

    // The server (another process in real life) picks the CLI's outbox rows up on its sweep.
    const s = await sandbox();
    const server = await startPonte('postgres', { databaseUrl: store.url, env: s.env });
    try {
      await eventually(async () => {
        const { rows } = await store.db.query("SELECT count(*) AS n FROM integrations WHERE error_code IS NULL AND status = 'succeeded' AND replays = 1");
        return Number(rows[0]!.n) === 30;
      }, 'the 30 replayed integrations to succeed', 60_000);
    } finally {
      await server.close();
      await s.sandbox.close();
    }
    const cases = s.sandbox.state.cases.filter((c) => failed.includes(c.ReferenciaExterna ?? ''));
    expect(cases).toHaveLength(30);
    expect(cases.find((c) => c.ReferenciaExterna === failed[0])!.Assunto).toBe('Assunto revisto');
  }, 120_000);
});
