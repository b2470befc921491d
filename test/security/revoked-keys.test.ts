import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startPonte, freshDatabase, API_KEYS, KEYS, SECRET_KEY, auth } from '../support/ponte.js';
import { PROJECT_ROOT } from '../../src/schemas.js';
import { PONTE } from '../support/ponte-command.js';

const run = promisify(execFile);
const probe = '/v1/integrations/00000000-0000-4000-8000-000000000000';

describe('a revoked seeded key', () => {
  it('stays revoked after `ponte keys revoke` and a restart with the same PONTE_API_KEYS, until its secret changes', async () => {
    const databaseUrl = await freshDatabase();
    const first = await startPonte('postgres', { databaseUrl, workers: false, relay: false });
    expect((await first.app.inject({ url: probe, headers: auth('helpdesk') })).statusCode).toBe(404);
    await first.close();

    const { stdout } = await run(process.execPath, [...PONTE, 'keys', 'revoke', '--name', 'helpdesk'], {
      cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, PONTE_SECRET_KEY: SECRET_KEY, LOG_LEVEL: 'silent' },
    });
    expect(stdout.trim()).toBe('revoked helpdesk');

    const again = await startPonte('postgres', { databaseUrl, workers: false, relay: false });
    try {
      expect((await again.app.inject({ url: probe, headers: auth('helpdesk') })).statusCode).toBe(401);
      expect((await again.app.inject({ url: probe, headers: auth('admin') })).statusCode).toBe(404);
    } finally {
      await again.close();
    }

    const renewed = `${KEYS.helpdesk}-renewed`;
    const third = await startPonte('postgres', { databaseUrl, workers: false, relay: false, env: { PONTE_API_KEYS: API_KEYS.replace(KEYS.helpdesk, renewed) } });
    try {
      expect((await third.app.inject({ url: probe, headers: { authorization: `Bearer ${renewed}` } })).statusCode).toBe(404);
      expect((await third.app.inject({ url: probe, headers: auth('helpdesk') })).statusCode).toBe(401);
    } finally {
      await third.close();
    }
  }, 180_000);
});
