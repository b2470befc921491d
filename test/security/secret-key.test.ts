import { describe, it, expect } from 'vitest';
import { stat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../../src/config.js';
import { Keyring, parseSecretKey } from '../../src/secrets/keyring.js';
import { KEY_FILE } from '../../src/secrets/private-files.js';
import { startPonte, tempDir, SECRET_KEY } from '../support/ponte.js';

const run = promisify(execFile);
const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe('PONTE_SECRET_KEY', () => {
  it('is required in the server modes, with one line naming it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://db/ponte' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://db/ponte' })).toThrow(/^PONTE_SECRET_KEY is required with DATABASE_URL: 32 random bytes as base64 or hex/);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/ponte', PONTE_SECRET_KEY: SECRET_KEY }).secretKey).toBe(SECRET_KEY);
    expect(loadConfig({ PONTE_SECRET_KEY: 'ab'.repeat(32) }).secretKey).toBe('ab'.repeat(32));
  });

  it('must be 32 bytes as base64 or hex, and is never echoed', () => {
    for (const bad of ['short', 'ab'.repeat(31), Buffer.alloc(16, 1).toString('base64')]) {
      expect(() => loadConfig({ PONTE_SECRET_KEY: bad })).toThrow(/^PONTE_SECRET_KEY="\[redacted\]" is invalid: expected 32 random bytes as base64 or hex/);
    }
    expect(parseSecretKey(Buffer.alloc(32, 3).toString('base64url'))).toEqual(Buffer.alloc(32, 3));
  });

  it('seals and opens secrets; the previous key still opens what it sealed', () => {
    const old = new Keyring(Buffer.alloc(32, 1));
    const sealed = old.seal('whsec_abc');
    expect(sealed).not.toContain('whsec_abc');
    expect(old.open(sealed)).toBe('whsec_abc');
    const rotated = new Keyring(Buffer.alloc(32, 2), Buffer.alloc(32, 1));
    expect(rotated.isStale(sealed)).toBe(true);
    expect(rotated.open(sealed)).toBe('whsec_abc');
    expect(rotated.isStale(rotated.seal('x'))).toBe(false);
    expect(() => new Keyring(Buffer.alloc(32, 2)).open(sealed)).toThrow(/PONTE_SECRET_KEY_PREVIOUS/);
    const [version, id, iv, body] = sealed.split(':') as [string, string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] = bytes[0]! ^ 0x01;
    const tampered = [version, id, iv, bytes.toString('base64url')].join(':');
    expect(() => old.open(tampered)).toThrow(/integrity/);
  });

  it('is generated on first start in embedded mode into a private DATA_DIR, and kept across restarts', async () => {
    const tmp = tempDir();
    const dataDir = path.join(tmp.dir, 'data');
    try {
      const first = await startPonte('embedded', { dataDir, workers: false, relay: false });
      const sealed = first.deps.keyring.seal('kept');
      await first.close();
      expect(await mode(dataDir)).toBe(0o700);
      expect(await mode(path.join(dataDir, KEY_FILE))).toBe(0o600);
      expect(await mode(first.deps.uploadDir)).toBe(0o700);
      const key = await readFile(path.join(dataDir, KEY_FILE), 'utf8');
      expect(parseSecretKey(key)).toHaveLength(32);

      const second = await startPonte('embedded', { dataDir, workers: false, relay: false });
      try {
        expect(second.deps.keyring.open(sealed)).toBe('kept');
      } finally {
        await second.close();
      }
    } finally {
      tmp.remove();
    }
  }, 180_000);
});

describe('configuration errors', () => {
  it('never echo a password or a secret', () => {
    const attempts: Record<string, string> = {
      DATABASE_URL: 'mysql://ponte:hunter2-db@db.local/ponte',
      REDIS_URL: 'http://:hunter2-redis@cache.local:6379',
      SMTP_URL: 'ftp://mailer:hunter2-smtp@mail.local',
      PONTE_API_KEYS: 'ops:admin:hunter2-short',
    };
    for (const [env, value] of Object.entries(attempts)) {
      let message = '';
      try {
        loadConfig({ [env]: value });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, env).toMatch(new RegExp(`^${env}=`));
      expect(message, env).not.toContain('hunter2');
    }
  });

  it('refuses seeded API key secrets shorter than 24 characters', () => {
    expect(() => loadConfig({ PONTE_API_KEYS: `ops:admin:${'s'.repeat(24)}` })).not.toThrow();
    expect(() => loadConfig({ PONTE_API_KEYS: `ops:admin:${'s'.repeat(24)},desk:helpdesk:${'s'.repeat(23)}` })).toThrow(/PONTE_API_KEYS="\[redacted\]" is invalid: expected .*at least 24 characters/);
  });

  it('stop `ponte serve` with one line naming PONTE_SECRET_KEY', async () => {
    const err = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { env: { ...process.env, DATABASE_URL: 'postgresql://user:hunter2@127.0.0.1:1/x', PONTE_SECRET_KEY: '' } }).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ponte: PONTE_SECRET_KEY is required with DATABASE_URL/)]);
  }, 60_000);
});
