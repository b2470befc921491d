// The bimer manifest as the engine sees it: configuration from BIMER_* variables, its schema,
// and the built-in sandbox when BIMER_URL is unset.

import { describe, it, expect } from 'vitest';
import { Ajv } from 'ajv';
import { manifest } from '../../../connectors/bimer/index.js';
import { recordingLogger } from './harness.js';

describe('bimer manifest', () => {
  const validate = new Ajv({ allErrors: true }).compile(manifest.configSchema);

  it('declares its name and write operations', () => {
    expect(manifest.name).toBe('bimer');
    expect(manifest.operations).toEqual(['createCase', 'addOpinion', 'notify']);
  });

  it('reads BIMER_* variables, with a 10 s default timeout', () => {
    const env = { BIMER_URL: 'https://erp.example.com/bimer', BIMER_CLIENT_ID: 'id', BIMER_CLIENT_SECRET: 's', BIMER_USERNAME: 'u', BIMER_PASSWORD: 'p' };
    const config = manifest.configFromEnv(env);
    expect(config).toEqual({ url: 'https://erp.example.com/bimer', clientId: 'id', clientSecret: 's', username: 'u', password: 'p', timeoutMs: 10_000 });
    expect(validate(config)).toBe(true);
    expect(manifest.configFromEnv({ ...env, BIMER_TIMEOUT_MS: '2500' }).timeoutMs).toBe(2500);
  });

  it('refuses a real URL without credentials, a bad URL and a non-numeric timeout; accepts no URL at all', () => {
    expect(validate(manifest.configFromEnv({ BIMER_URL: 'https://erp.example.com' }))).toBe(false);
    expect(validate(manifest.configFromEnv({ BIMER_URL: 'erp.example.com', BIMER_CLIENT_ID: 'i', BIMER_CLIENT_SECRET: 's', BIMER_USERNAME: 'u', BIMER_PASSWORD: 'p' }))).toBe(false);
    expect(validate(manifest.configFromEnv({ BIMER_TIMEOUT_MS: 'soon' }))).toBe(false);
    expect(validate(manifest.configFromEnv({}))).toBe(true);
  });

  it('refuses to start with a timeout that would wait forever', async () => {
    await expect(manifest.create(manifest.configFromEnv({ BIMER_TIMEOUT_MS: 'soon' }), { log: recordingLogger() })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses a real URL without credentials, naming the missing variables', async () => {
    const error = await manifest.create(manifest.configFromEnv({ BIMER_URL: 'https://erp.example.com', BIMER_CLIENT_ID: 'id' }), { log: recordingLogger() }).catch((e) => e);
    expect(error.details.map((d: { path: string }) => d.path)).toEqual(['BIMER_CLIENT_SECRET', 'BIMER_USERNAME', 'BIMER_PASSWORD']);
  });

  it('starts the built-in sandbox when BIMER_URL is unset, and stops it on close', async () => {
    const log = recordingLogger();
    const connector = await manifest.create(manifest.configFromEnv({}), { log });
    await connector.ping();
    expect(await connector.getClient('000012')).toMatchObject({ companyName: 'Padaria Pão Quente Ltda' });
    const started = log.lines.find((l) => l.level === 'info' && 'url' in l.obj);
    const url = (started!.obj as { url: string }).url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await connector.close();
    await expect(fetch(`${url}/__sandbox/state`)).rejects.toThrow();
  });
});
