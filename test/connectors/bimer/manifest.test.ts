// The bimer mapping set as a deployment configures it: BIMER_* variables, what they must hold,
// and the built-in sandbox when BIMER_URL is unset.

import { describe, it, expect } from 'vitest';
import { loadConnectorSet } from '../../../src/connectors/registry.js';
import { readSettings } from '../../../src/connectors/settings.js';
import { connect, recordingLogger } from '../connect.js';

describe('the bimer mapping set', () => {
  it('reads BIMER_* variables, with bimer-classic auth and a 10 s timeout by default', async () => {
    const set = await loadConnectorSet('bimer');
    expect(set.kind).toBe('rest');
    const env = { BIMER_URL: 'https://erp.example.com/bimer', BIMER_CLIENT_ID: 'id', BIMER_CLIENT_SECRET: 's', BIMER_USERNAME: 'u', BIMER_PASSWORD: 'p' };
    expect(readSettings(set, env)).toMatchObject({ url: 'https://erp.example.com/bimer', clientId: 'id', clientSecret: 's', username: 'u', password: 'p', timeoutMs: '10000', auth: 'bimer-classic', tokenPath: '/oauth/token' });
    expect(readSettings(set, { ...env, BIMER_TIMEOUT_MS: '2500' }).timeoutMs).toBe('2500');
  });

  it('refuses to start with a timeout that would wait forever, naming the variable', async () => {
    const error = await connect('bimer', { BIMER_URL: 'https://erp.example.com', BIMER_CLIENT_ID: 'i', BIMER_CLIENT_SECRET: 's', BIMER_USERNAME: 'u', BIMER_PASSWORD: 'p', BIMER_TIMEOUT_MS: 'soon' }).catch((e) => e);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(error.details.map((d: { path: string }) => d.path)).toEqual(['BIMER_TIMEOUT_MS']);
  });

  it('refuses a real URL without credentials, naming the missing variables, and a URL that is not one', async () => {
    const error = await connect('bimer', { BIMER_URL: 'https://erp.example.com', BIMER_CLIENT_ID: 'id' }).catch((e) => e);
    expect(error.details.map((d: { path: string }) => d.path)).toEqual(['BIMER_CLIENT_SECRET', 'BIMER_USERNAME', 'BIMER_PASSWORD']);
    const bad = await connect('bimer', { BIMER_URL: 'erp.example.com', BIMER_CLIENT_ID: 'i', BIMER_CLIENT_SECRET: 's', BIMER_USERNAME: 'u', BIMER_PASSWORD: 'p' }).catch((e) => e);
    expect(bad.details.map((d: { path: string }) => d.path)).toEqual(['BIMER_URL']);
  });

  it('starts the built-in sandbox when BIMER_URL is unset, and stops it on close', async () => {
    const log = recordingLogger();
    const connector = await connect('bimer', {}, { log });
    await connector.ping();
    expect(await connector.getClient('000012')).toMatchObject({ companyName: 'Padaria Pão Quente Ltda' });
    const started = log.lines.find((l) => l.level === 'info' && 'url' in l.obj);
    const url = (started!.obj as { url: string }).url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await connector.close();
    await expect(fetch(`${url}/__sandbox/state`)).rejects.toThrow();
  });
});
