import { describe, it, expect } from 'vitest';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { freePort } from '../support/services.js';
import { freshDatabase, tempDir, eventually, startPonte, uniqueName, SECRET_KEY } from '../support/ponte.js';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { REDACT_PATHS, redactUrl } from '../../src/log.js';
import { PONTE } from '../support/ponte-command.js';

const run = promisify(execFile);
const MAIN = PONTE;

async function serveUntilReady(
  env: Record<string, string>,
  probe?: (base: string) => Promise<void>,
): Promise<{ ready: Record<string, unknown>; exitCode: number | null; logs: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...MAIN, 'serve'], { env: { ...process.env, PORT: String(port), LOG_LEVEL: 'info', QUEUE_PREFIX: uniqueName('serve'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout.on('data', (d) => (logs += d));
  child.stderr.on('data', (d) => (logs += d));
  try {
    const ready = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
    }, 'ponte serve to be ready', 100_000);
    await probe?.(`http://127.0.0.1:${port}`);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return { ready, exitCode: await exited, logs };
  } finally {
    child.kill('SIGKILL');
  }
}

describe('ponte serve in each runtime mode', () => {
  it('starts on embedded defaults (no PostgreSQL, Redis or ERP) and stops cleanly on SIGTERM', async () => {
    const tmp = tempDir();
    try {
      const { ready, exitCode } = await serveUntilReady({ DATA_DIR: tmp.dir });
      expect(ready.mode).toEqual({ store: 'embedded', jobs: 'postgres', connector: 'bimer' });
      expect(exitCode).toBe(0);
    } finally {
      tmp.remove();
    }
  }, 120_000);

  it('restarted on the same DATA_DIR, opens the database it kept (opened before the rest of ponte loads)', async () => {
    const tmp = tempDir();
    try {
      await serveUntilReady({ DATA_DIR: tmp.dir });
      const { stdout } = await run(process.execPath, [...MAIN, 'keys', 'create', '--name', 'ops', '--role', 'admin'], { env: { ...process.env, DATA_DIR: tmp.dir } });
      const secret = stdout.trim().split('\n').pop()!;
      let answered = 0;
      const again = await serveUntilReady({ DATA_DIR: tmp.dir }, async (base) => {
        answered = (await fetch(`${base}/v1/admin/integrations?limit=1`, { headers: { authorization: `Bearer ${secret}` } })).status;
      });
      expect(answered).toBe(200);
      expect(again.ready.mode).toMatchObject({ store: 'embedded' });
      expect(again.exitCode).toBe(0);
    } finally {
      tmp.remove();
    }
  }, 200_000);

  it('is ready with DATABASE_URL, and with DATABASE_URL + REDIS_URL', async () => {
    const pg = await serveUntilReady({ DATABASE_URL: await freshDatabase(), PONTE_SECRET_KEY: SECRET_KEY });
    expect(pg.ready.mode).toMatchObject({ store: 'postgresql', jobs: 'postgres' });
    const redis = await serveUntilReady({ DATABASE_URL: await freshDatabase(), REDIS_URL: inject('redisUrl'), PONTE_SECRET_KEY: SECRET_KEY });
    expect(redis.ready.mode).toMatchObject({ store: 'postgresql', jobs: 'redis' });
    expect(redis.exitCode).toBe(0);
  }, 220_000);
});

describe('ponte worker', () => {
  const bare = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(BIMER_|SOAP_|DATABASE_URL|REDIS_URL|ERP_CONNECTOR)/.test(k)));
  const refusal = (env: Record<string, string | undefined>) => run(process.execPath, [...MAIN, 'worker'], { env: { ...bare, LOG_LEVEL: 'silent', PONTE_SECRET_KEY: SECRET_KEY, ...env }, timeout: 90_000 }).then(
    () => ({ code: 0, stderr: '' }),
    (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
  );

  it('refuses to start without BIMER_URL, with one line saying it would run a private sandbox ERP', async () => {
    const { code, stderr } = await refusal({ DATABASE_URL: await freshDatabase() });
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ponte: ponte worker needs BIMER_URL .*private sandbox ERP/)]);
  }, 120_000);

  it('refuses to start without DATABASE_URL (it would open a private embedded database), and names SOAP_URL for the SOAP connector', async () => {
    const [noDatabase, noSoap] = await Promise.all([refusal({ BIMER_URL: 'http://127.0.0.1:9' }), refusal({ DATABASE_URL: await freshDatabase(), ERP_CONNECTOR: 'soap-crm' })]);
    expect(noDatabase.stderr).toMatch(/needs DATABASE_URL/);
    expect(noSoap.stderr).toMatch(/needs SOAP_URL/);
  }, 240_000);
});

describe('API keys', () => {
  it('`ponte keys create` prints the secret once; only its hash is stored, and it authenticates', async () => {
    const databaseUrl = await freshDatabase();
    const { stdout } = await run(process.execPath, [...MAIN, 'keys', 'create', '--name', 'ops', '--role', 'admin+helpdesk'], { env: { ...process.env, DATABASE_URL: databaseUrl, PONTE_SECRET_KEY: SECRET_KEY } });
    const secret = stdout.trim().split('\n').pop()!;
    expect(secret).toMatch(/^pk_/);
    const p = await startPonte('postgres', { databaseUrl });
    try {
      const { rows } = await p.deps.db.query("SELECT hash FROM api_keys WHERE name = 'ops'");
      expect(rows[0]!.hash).not.toContain(secret);
      const res = await p.app.inject({ url: '/v1/integrations/00000000-0000-0000-0000-000000000000', headers: { authorization: `Bearer ${secret}` } });
      expect(res.statusCode).toBe(404);
      const audit = await p.deps.db.query("SELECT actor, action FROM audit_events WHERE action = 'key.created'");
      expect(audit.rows).toEqual([{ actor: 'cli', action: 'key.created' }]);
    } finally {
      await p.close();
    }
  }, 60_000);
});

describe('logs', () => {
  it('redact secrets wherever they appear', () => {
    let out = '';
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, new Writable({ write: (c, _e, cb) => { out += c; cb(); } }));
    log.info({ req: { headers: { authorization: 'Bearer s3cret' } }, creds: { password: 'hunter2', secret: 'whsec_x', token: 'tok' } }, 'x');
    expect(out).not.toMatch(/s3cret|hunter2|whsec_x|tok"/);
    expect(out).toContain('[redacted]');
  });

  it('strip secret query parameters (the portal token) from logged URLs', () => {
    expect(redactUrl('/v1/portal/returns/1?token=abc&x=1')).toBe('/v1/portal/returns/1?token=[redacted]&x=1');
  });
});
