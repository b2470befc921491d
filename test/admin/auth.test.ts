import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, type Ponte } from '../support/ponte.js';

describe('who may use the admin routes', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', { workers: false, relay: false });
  });
  afterAll(() => p.close());

  /** Every registered admin route, as OpenAPI lists it (so a new route cannot be forgotten). */
  async function adminRoutes(): Promise<Array<{ method: string; url: string }>> {
    await p.app.ready();
    const spec = p.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/v1/admin') || path === '/metrics')
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), url: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000') })));
  }

  it('answers 403 to helpdesk and erp keys and 401 without a key, on every admin route', async () => {
    const routes = await adminRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes).toEqual(expect.arrayContaining([{ method: 'GET', url: '/metrics' }, { method: 'POST', url: '/v1/admin/keys' }]));
    for (const { method, url } of routes) {
      const payload = method === 'POST' ? {} : undefined;
      for (const role of ['helpdesk', 'erp'] as const) {
        const res = await p.app.inject({ method: method as 'GET', url, headers: auth(role), payload });
        expect(res.statusCode, `${role} ${method} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
      expect((await p.app.inject({ method: method as 'GET', url, payload })).statusCode, `anonymous ${method} ${url}`).toBe(401);
    }
  });

  it('guards the queue board: bearer admin key or the session cookie from /v1/admin/session', async () => {
    const board = (headers: Record<string, string>, method: 'GET' | 'PUT' = 'GET') => p.app.inject({ method, url: method === 'GET' ? '/admin/queues' : '/admin/queues/api/queues/integrations/pause', headers });
    expect((await board({})).statusCode).toBe(401);
    expect((await board(auth('helpdesk'))).statusCode).toBe(403);
    expect((await board(auth('admin'))).statusCode).toBe(200);
    const queues = await p.app.inject({ url: '/admin/queues/api/queues', headers: auth('admin') });
    expect(queues.statusCode).toBe(200);
    expect(JSON.stringify(queues.json())).toContain('integrations');

    const session = await p.app.inject({ method: 'POST', url: '/v1/admin/session', headers: auth('admin') });
    expect(session.statusCode).toBe(204);
    const cookie = String(session.headers['set-cookie']);
    expect(cookie).toMatch(/^ponte_admin=[^;]+; Path=\/admin\/queues; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    const value = cookie.split(';')[0]!;
    expect((await board({ cookie: value })).statusCode).toBe(200);
    // A change through the cookie must come from the board's own pages.
    expect((await board({ cookie: value, 'sec-fetch-site': 'cross-site' }, 'PUT')).statusCode).toBe(403);
    const forged = value.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await board({ cookie: forged })).statusCode).toBe(401);

    // A helpdesk key gets no session, and a revoked admin key's sessions end.
    expect((await p.app.inject({ method: 'POST', url: '/v1/admin/session', headers: auth('helpdesk') })).statusCode).toBe(403);
    const key = await p.app.inject({ method: 'POST', url: '/v1/admin/keys', headers: auth('admin'), payload: { name: 'temp-admin', roles: ['admin'] } });
    const temp = await p.app.inject({ method: 'POST', url: '/v1/admin/session', headers: { authorization: `Bearer ${key.json().secret}` } });
    const tempCookie = String(temp.headers['set-cookie']).split(';')[0]!;
    expect((await board({ cookie: tempCookie })).statusCode).toBe(200);
    await p.deps.db.query("UPDATE api_keys SET revoked_at = now() WHERE name = 'temp-admin'");
    expect((await board({ cookie: tempCookie })).statusCode).toBe(401);
  });

  it('serves the admin page to anyone, with a strict content security policy', async () => {
    for (const url of ['/admin', '/admin/app.js', '/admin/i18n.js', '/admin/dashboard.js', '/admin/style.css']) {
      const res = await p.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
    expect((await p.app.inject({ method: 'GET', url: '/admin' })).body).toContain('Chave de API de administrador');
  });
});
