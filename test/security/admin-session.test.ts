import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHmac, randomUUID } from 'node:crypto';
import { startPonte, auth, type Ponte } from '../support/ponte.js';

describe('queue-board session cookie', () => {
  let p: Ponte;
  let now = Date.parse('2026-12-01T12:00:00Z');
  beforeAll(async () => {
    p = await startPonte('postgres', { workers: false, relay: false, clock: { now: () => new Date(now) } });
  });
  afterAll(() => p.close());

  const board = (cookie: string) => p.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
  async function signIn(headers = auth('admin')): Promise<string> {
    const res = await p.app.inject({ method: 'POST', url: '/v1/admin/session', headers });
    expect(res.statusCode).toBe(204);
    return String(res.headers['set-cookie']).split(';')[0]!;
  }

  it('admits a fresh session and ends it at sign-out', async () => {
    const cookie = await signIn();
    expect((await board(cookie)).statusCode).toBe(200);
    const out = await p.app.inject({ method: 'DELETE', url: '/v1/admin/session', headers: auth('admin') });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await board(cookie)).statusCode).toBe(401);
  });

  it('keeps the expiry fixed when the session was issued (8 h)', async () => {
    const cookie = await signIn();
    now += 8 * 3600_000 - 1000;
    expect((await board(cookie)).statusCode).toBe(200);
    now += 2000;
    expect((await board(cookie)).statusCode).toBe(401);
  });

  it('refuses forged and malformed cookies with 401, never 500', async () => {
    const { rows } = await p.deps.db.query("SELECT id, hash FROM api_keys WHERE name = 'admin'");
    const { id, hash } = rows[0]!;
    // The former scheme, signed with what a database read reveals, and a cookie choosing its own expiry.
    const payload = `${id}.${Math.floor(now / 1000) + 10 * 365 * 86400}`;
    const fromDatabase = `${payload}.${createHmac('sha256', hash).update(payload).digest('base64url')}`;
    const made = await signIn();
    const [sessionId] = decodeURIComponent(made.split('=')[1]!).split('.');
    const otherSignature = `${sessionId}.${createHmac('sha256', 'guess').update(sessionId!).digest('base64url')}`;
    for (const value of [fromDatabase, otherSignature, `${randomUUID()}.${'A'.repeat(43)}`, '%E0%A4%A', 'garbage', '.', `${sessionId}.`]) {
      const res = await board(`ponte_admin=${encodeURIComponent(value)}`);
      expect(res.statusCode, value).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
    expect((await board('ponte_admin=%E0%A4%A')).statusCode).toBe(401);
  });

  it('ends with its key: a revoked admin key has no session', async () => {
    const created = await p.app.inject({ method: 'POST', url: '/v1/admin/keys', headers: auth('admin'), payload: { name: 'board-only', roles: ['admin'] } });
    const cookie = await signIn({ authorization: `Bearer ${created.json().secret}` });
    expect((await board(cookie)).statusCode).toBe(200);
    await p.deps.db.query("UPDATE api_keys SET revoked_at = now() WHERE name = 'board-only'");
    expect((await board(cookie)).statusCode).toBe(401);
  });
});
