// Limits before work: an address guessing keys is refused ahead of authentication, with
// counters every ponte process shares; probes are never limited; error answers stay small;
// slow requests, idle sockets and huge headers are cut; NUL characters are refused.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { startPonte, freshDatabase, auth, eventually, type Ponte, type Mode } from '../support/ponte.js';

const probe = '/v1/integrations/00000000-0000-4000-8000-000000000000';
const wrongKey = (i: number) => ({ authorization: `Bearer wrong-key-${i}-${'x'.repeat(24)}` });
// Windows are fixed: an hour-long one keeps a test's requests (seconds on a loaded machine) in one window.
const WINDOW = { RATE_LIMIT_WINDOW_MS: '3600000' };

describe('wrong keys from one address (RATE_LIMIT_MAX=100)', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', { workers: false, relay: false, env: { RATE_LIMIT_MAX: '100', ...WINDOW } });
  });
  afterAll(() => p.close());

  it('tell the address how many failures it has left, from the first 401', async () => {
    const first = await p.app.inject({ url: probe, headers: wrongKey(0), remoteAddress: '10.7.7.7' });
    expect(first.statusCode).toBe(401);
    expect(first.headers).toMatchObject({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '99' });
    const second = await p.app.inject({ url: probe, headers: wrongKey(1), remoteAddress: '10.7.7.7' });
    expect(second.headers['x-ratelimit-remaining']).toBe('98');
  });

  it('are refused with 429 from the hundred-and-first on, before the key is even looked at', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 105; i++) codes.push((await p.app.inject({ url: probe, headers: wrongKey(i) })).statusCode);
    expect(codes.slice(0, 100).every((c) => c === 401)).toBe(true);
    expect(codes.slice(100)).toEqual([429, 429, 429, 429, 429]);
    const refused = await p.app.inject({ url: probe, headers: auth('helpdesk') });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers).toMatchObject({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0' });
    expect(Number(refused.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    // Another address is not affected, and probes always answer.
    expect((await p.app.inject({ url: probe, headers: auth('helpdesk'), remoteAddress: '10.1.2.3' })).statusCode).toBe(404);
    expect((await p.app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await p.app.inject({ url: '/ready' })).statusCode).not.toBe(429);
  });
});

describe.each(['postgres', 'redis'] as Mode[])('one limit for several ponte processes (%s)', (mode) => {
  let a: Ponte;
  let b: Ponte;
  beforeAll(async () => {
    const databaseUrl = await freshDatabase();
    const namespace = `limits-${mode}-${Date.now()}-`;
    const env = { RATE_LIMIT_MAX: '10', ...WINDOW };
    a = await startPonte(mode, { databaseUrl, namespace, workers: false, relay: false, env });
    b = await startPonte(mode, { databaseUrl, namespace, workers: false, relay: false, env });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('counts the failures seen by every process', async () => {
    for (let i = 0; i < 10; i++) expect((await (i % 2 ? a : b).app.inject({ url: probe, headers: wrongKey(i), remoteAddress: '10.9.9.9' })).statusCode).toBe(401);
    expect((await a.app.inject({ url: probe, headers: wrongKey(11), remoteAddress: '10.9.9.9' })).statusCode).toBe(429);
    expect((await b.app.inject({ url: probe, headers: wrongKey(12), remoteAddress: '10.9.9.9' })).statusCode).toBe(429);
  });

  it('counts a key across processes', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await (i % 2 ? a : b).app.inject({ url: probe, headers: auth('admin'), remoteAddress: '10.8.8.8' })).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 404)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
  });
});

describe('bounded answers and inputs', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', { workers: false, relay: false });
  });
  afterAll(() => p.close());

  it('lists at most 20 validation problems, and says how many more there were', async () => {
    const body = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`f${i}`, 0]));
    const res = await p.app.inject({ method: 'POST', url: '/v1/chats', headers: auth('helpdesk'), payload: body });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toHaveLength(20);
    expect(error.message).toMatch(/and \d{5} more$/);
    expect(res.body.length).toBeLessThan(8_000);
  });

  it('refuses a NUL character in a body, a filter or a path with 400 naming it', async () => {
    const body = await p.app.inject({ method: 'POST', url: '/v1/chats', headers: auth('helpdesk'), payload: { departmentId: 'suporte', client: { name: 'Jo\u0000ão', email: 'a@b.example' } } });
    expect(body.statusCode).toBe(400);
    expect(body.json().error).toMatchObject({ code: 'NUL_CHARACTER', details: [{ path: 'client.name' }] });
    const filter = await p.app.inject({ url: '/v1/returns?clientEmail=a%00b', headers: auth('helpdesk') });
    expect(filter.statusCode).toBe(400);
    expect(filter.json().error.details[0].path).toBe('query.clientEmail');
    const path = await p.app.inject({ url: '/v1/chats/a%00b', headers: auth('helpdesk') });
    expect(path.statusCode).toBe(400);
  });

  it('refuses bodies nested deeper than any schema', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await p.app.inject({ method: 'POST', url: '/v1/chats', headers: { ...auth('helpdesk'), 'content-type': 'application/json' }, payload: deep });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BODY_TOO_DEEP');
  });

  it('answers 400 to cursors that are not the ISO instants the list gave', async () => {
    for (const at of ['Tue, 01 Jan 2030 00:00:00 GMT', '0000-01-01T00:00:00Z', '2030-01-01', 'nonsense']) {
      const cursor = Buffer.from(`${at}|00000000-0000-4000-8000-000000000000`).toString('base64url');
      for (const url of [`/v1/returns?cursor=${cursor}`, `/v1/admin/mail?cursor=${cursor}`, `/v1/admin/integrations?cursor=${Buffer.from(JSON.stringify([at, '00000000-0000-4000-8000-000000000000'])).toString('base64url')}`]) {
        const res = await p.app.inject({ url, headers: auth('admin') });
        expect(res.statusCode, `${url} (${at})`).toBe(400);
      }
    }
  });
});

/** A raw connection to a listening ponte. */
async function listening(env: Record<string, string>): Promise<{ p: Ponte; port: number }> {
  const p = await startPonte('postgres', { workers: false, relay: false, env });
  await p.app.listen({ port: 0, host: '127.0.0.1' });
  return { p, port: (p.app.server.address() as net.AddressInfo).port };
}

function connect(port: number): { socket: net.Socket; received: () => string; closed: () => boolean } {
  const socket = net.connect(port, '127.0.0.1');
  let data = '';
  let ended = false;
  socket.on('data', (d) => (data += d));
  socket.on('close', () => (ended = true));
  socket.on('error', () => (ended = true));
  return { socket, received: () => data, closed: () => ended };
}

describe('slow and oversized requests', () => {
  let server: { p: Ponte; port: number };
  beforeAll(async () => {
    server = await listening({ REQUEST_TIMEOUT_MS: '1000', CONNECTION_TIMEOUT_MS: '1500', MAX_HEADER_BYTES: '2048' });
  });
  afterAll(() => server.p.close());

  it('cuts a body that trickles in slower than REQUEST_TIMEOUT_MS', async () => {
    const c = connect(server.port);
    c.socket.write(`POST /v1/chats HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nAuthorization: Bearer ${auth('helpdesk').authorization.slice(7)}\r\n\r\n{`);
    const drip = setInterval(() => c.socket.writable && c.socket.write(' '), 200);
    try {
      await eventually(async () => c.closed(), 'the slow request to be cut', 15_000);
    } finally {
      clearInterval(drip);
      c.socket.destroy();
    }
    expect(c.received()).not.toContain('201');
  });

  it('closes a connection that stays idle', async () => {
    const c = connect(server.port);
    await eventually(async () => c.closed(), 'the idle connection to be closed', 15_000);
  });

  it('refuses headers larger than MAX_HEADER_BYTES with 431', async () => {
    const c = connect(server.port);
    c.socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Junk: ${'a'.repeat(4096)}\r\n\r\n`);
    await eventually(async () => c.received().includes('431') || c.closed(), 'an answer');
    expect(c.received()).toMatch(/^HTTP\/1\.1 431/);
    expect(c.received()).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/);
    expect(JSON.parse(c.received().split('\r\n\r\n')[1]!)).toEqual({ error: { code: 'HEADERS_TOO_LARGE', message: expect.stringContaining('MAX_HEADER_BYTES'), details: [] } });
    c.socket.destroy();
  });
});

describe('TRUST_PROXY', () => {
  it('off: X-Forwarded-For is ignored, so forged addresses do not escape the limit', async () => {
    const p = await startPonte('postgres', { workers: false, relay: false, env: { RATE_LIMIT_MAX: '3', ...WINDOW } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await p.app.inject({ url: probe, headers: { ...wrongKey(i), 'x-forwarded-for': `203.0.113.${i}` } })).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await p.close();
    }
  });

  it('on: the client behind the proxy is counted, and cookies are Secure over https', async () => {
    const p = await startPonte('postgres', { workers: false, relay: false, env: { RATE_LIMIT_MAX: '3', TRUST_PROXY: '127.0.0.1', ...WINDOW } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await p.app.inject({ url: probe, headers: { ...wrongKey(i), 'x-forwarded-for': `203.0.113.${i}` } })).statusCode);
      expect(codes).toEqual([401, 401, 401, 401, 401]);
      const session = await p.app.inject({ method: 'POST', url: '/v1/admin/session', headers: { ...auth('admin'), 'x-forwarded-proto': 'https' } });
      expect(String(session.headers['set-cookie'])).toMatch(/; Secure$/);
      const plain = await p.app.inject({ method: 'POST', url: '/v1/admin/session', headers: auth('admin') });
      expect(String(plain.headers['set-cookie'])).not.toContain('Secure');
    } finally {
      await p.close();
    }
  });
});
