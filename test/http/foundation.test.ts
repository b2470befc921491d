import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { session } from '../support/fixtures.js';
import { loadConfig, ConfigError } from '../../src/config.js';

const run = promisify(execFile);

describe('HTTP basics (embedded mode)', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('embedded', { env: { BODY_LIMIT_BYTES: '20000' } });
  });
  afterAll(async () => {
    await p.close();
  });

  it('serves /health and /ready with the runtime mode', async () => {
    expect((await p.app.inject('/health')).json()).toEqual({ status: 'ok' });
    // The ERP's state comes from its first answer: a loaded machine may report it degraded before that.
    const ready = await eventually(async () => {
      const res = await p.app.inject('/ready');
      return res.statusCode === 200 && res.json().status === 'ready' ? res : undefined;
    }, '/ready to report ready');
    expect(ready.json()).toMatchObject({ status: 'ready', mode: { store: 'embedded', jobs: 'postgres', connector: 'bimer' } });
  });

  it('answers 401 without a key or with an unknown one, 403 for a wrong role', async () => {
    const none = await p.app.inject({ method: 'POST', url: '/v1/sessions', payload: {} });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('UNAUTHENTICATED');
    const unknown = await p.app.inject({ method: 'POST', url: '/v1/sessions', payload: {}, headers: { authorization: 'Bearer nope' } });
    expect(unknown.statusCode).toBe(401);
    const wrong = await p.app.inject({ method: 'POST', url: '/v1/sessions', payload: {}, headers: auth('erp') });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers malformed JSON, a wrong content type, an oversized body and an unknown route with a 4xx in the error shape', async () => {
    const cases = [
      { req: { method: 'POST' as const, url: '/v1/sessions', headers: { ...auth('helpdesk'), 'content-type': 'application/json' }, payload: '{"externalId": ' }, status: 400, code: 'INVALID_JSON' },
      { req: { method: 'POST' as const, url: '/v1/sessions', headers: { ...auth('helpdesk'), 'content-type': 'text/csv' }, payload: 'a,b' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { req: { method: 'POST' as const, url: '/v1/sessions', headers: { ...auth('helpdesk'), 'content-type': 'application/json' }, payload: JSON.stringify({ pad: 'x'.repeat(30_000) }) }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
      { req: { method: 'GET' as const, url: '/v1/nowhere', headers: auth('helpdesk') }, status: 404, code: 'ROUTE_NOT_FOUND' },
    ];
    for (const c of cases) {
      const res = await p.app.inject(c.req);
      expect(res.statusCode, c.code).toBe(c.status);
      const body = res.json();
      expect(body.error.code).toBe(c.code);
      expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
    }
  });

  it('takes a JSON body as typed: a number or a "true" where the document says string or boolean is a 400 naming it', async () => {
    const base = session({ integrations: [{ clientCode: '000012', productId: '00A0000011', caseTypeId: '00A0000021', closeCase: true, subject: 'a', opinion: 'b' }] }) as Record<string, unknown> & { integrations: Array<Record<string, unknown>> };
    const typed = [
      { payload: { ...base, externalId: 42 }, path: 'externalId' },
      { payload: { ...base, integrations: [{ ...base.integrations[0], closeCase: 'true' }] }, path: 'integrations.0.closeCase' },
      { payload: { ...base, integrations: [{ ...base.integrations[0], clientCode: 12 }] }, path: 'integrations.0.clientCode' },
    ];
    for (const t of typed) {
      const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: t.payload });
      expect(res.statusCode, t.path).toBe(400);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(t.path);
    }
    const events = await p.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth('admin'), payload: { url: 'https://example.com/x', events: 'chat.closed' } });
    expect(events.statusCode).toBe(400);
    expect(events.json().error.details.map((d: { path: string }) => d.path)).toContain('events');
    // Query strings are text: ?limit=2 is still the integer 2.
    expect((await p.app.inject({ url: '/v1/admin/integrations?limit=2', headers: auth('admin') })).statusCode).toBe(200);
    const { rows } = await p.deps.db.query('SELECT count(*)::int AS n FROM chats');
    expect(rows[0]!.n).toBe(0);
  });

  it('answers a JSON body labelled text/plain with 415, and a path parameter of any length with a 400 naming it', async () => {
    const plain = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...auth('helpdesk'), 'content-type': 'text/plain' }, payload: JSON.stringify(session()) });
    expect(plain.statusCode).toBe(415);
    expect(plain.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    for (const length of [150, 500, 8000]) {
      const res = await p.app.inject({ url: `/v1/chats/${'a'.repeat(length)}`, headers: auth('helpdesk') });
      expect(res.statusCode, `${length} characters`).toBe(400);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual(['id']);
      expect(res.body.length).toBeLessThan(1000);
      expect(res.headers['x-request-id']).toBeTruthy();
    }
  });

  it('names every invalid field of a session, and every broken integration rule', async () => {
    const missing = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: { externalId: 'x', client: { name: 'a' } } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['client.email', 'agent', 'messages']));
    const rules = await p.app.inject({
      method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'),
      payload: session({ integrations: [
        { clientCode: '000012', productId: '00A0000011', caseTypeId: '00A0000021', closeCase: true, subject: 'a', priority: true, standardOpinionId: '00A0000033' },
        { clientCode: '000012', productId: '00A0000011', caseTypeId: '00A0000021', closeCase: false, subject: 'b', responsibilityCenterId: '00A0000051' },
      ] }),
    });
    expect(rules.statusCode).toBe(400);
    expect(rules.json().error.code).toBe('INTEGRATION_RULES');
    expect(rules.json().error.details.map((d: { path: string }) => d.path)).toEqual([
      'integrations[0].priority', 'integrations[0].standardOpinionId', 'integrations[1].multiple', 'integrations[1].responsibilityCenterId',
    ]);
    const { rows } = await p.deps.db.query('SELECT count(*)::int AS n FROM chats');
    expect(rows[0]!.n).toBe(0);
  });

  it('offers the integration form of a closed chat with its prefill and ERP lists', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session({ integrations: [] }) });
    const form = (await p.app.inject({ url: `/v1/chats/${res.json().chatId}/integration-form`, headers: auth('helpdesk') })).json();
    expect(form.available).toBe(true);
    expect(form.prefill).toMatchObject({ clientCode: '000012', companyName: 'Padaria Pão Quente Ltda', contactPerson: 'João Cliente' });
    expect(form.prefill.opinion.startsWith('Certificado A1 vencido.\n\n[20/11/2026 10:00]')).toBe(true);
    expect(form.options.products.every((x: { active: boolean }) => x.active)).toBe(true);
    expect(form.options.caseTypes[0].standardOpinions.length).toBeGreaterThan(0);
  });

  it('serves the OpenAPI document generated from schemas/', async () => {
    const doc = (await p.app.inject('/docs/json')).json();
    expect(doc.paths['/v1/sessions'].post).toBeDefined();
    expect(JSON.stringify(doc)).toContain('IntegrationRequest');
  });
});

describe('configuration', () => {
  it('refuses a bad value naming the variable and what it accepts', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/^PORT="abc" is invalid: expected an integer >= 0 <= 65535$/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ PONTE_ERP_SECRETS: 'plain' })).toThrow(/PONTE_ERP_SECRETS="\[redacted\]"/);
  });

  it('links to where ponte listens unless PUBLIC_URL says otherwise', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '4000' }).publicUrl).toBe('http://127.0.0.1:4000');
    expect(loadConfig({ HOST: '192.168.0.10' }).publicUrl).toBe('http://192.168.0.10:3000');
    expect(loadConfig({ PORT: '8080', PUBLIC_URL: 'https://suporte.example' }).publicUrl).toBe('https://suporte.example');
  });

  it('stops the process with one line on stderr', async () => {
    const err = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { env: { ...process.env, PORT: 'abc' } }).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toEqual(['ponte: PORT="abc" is invalid: expected an integer >= 0 <= 65535']);
  });
});

describe('README', () => {
  it('documents every setting of src/config.ts', async () => {
    const { readFile } = await import('node:fs/promises');
    const { SETTINGS } = await import('../../src/config.js');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(SETTINGS.map((s) => s.env).filter((env) => !readme.includes(`\`${env}\``))).toEqual([]);
  });

  it('starts with every PONTE_API_KEYS example it gives', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const examples = [...readme.matchAll(/PONTE_API_KEYS='([^']+)'/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThan(1);
    for (const keys of examples) expect(loadConfig({ PONTE_API_KEYS: keys }).apiKeys).toBe(keys);
  });
});
