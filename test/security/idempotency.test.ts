// Idempotency-Key: replays only after authorization and only to the same caller, only of
// successful answers, never with a secret shown once; a key cut by a crash is freed after
// its lease, and rows expire.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startPonte, auth, type Ponte } from '../support/ponte.js';
import { createReturn, returnBody, settableClock } from '../returns/fixtures.js';
import { seedTeam } from '../chats/fixtures.js';

describe('Idempotency-Key', () => {
  let p: Ponte;
  const clock = settableClock(new Date('2026-12-01T12:00:00Z'));
  beforeAll(async () => {
    p = await startPonte('postgres', { workers: false, relay: false, clock });
    await seedTeam(p.app);
  }, 120_000);
  afterAll(() => p?.close());

  const post = (url: string, payload: unknown, headers: Record<string, string>) => p.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const chat = { client: { name: 'Ana', email: 'ana@padaria.example' }, departmentId: 'support', subject: 'Nota' };

  it('replays the first answer to the same key and body, refuses another body, and keeps callers apart', async () => {
    const key = randomUUID();
    const first = await post('/v1/chats', chat, { ...auth('helpdesk'), 'idempotency-key': key });
    const again = await post('/v1/chats', chat, { ...auth('helpdesk'), 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect((await post('/v1/chats', { ...chat, subject: 'Outro' }, { ...auth('helpdesk'), 'idempotency-key': key })).json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const otherCaller = await post('/v1/chats', chat, { ...auth('admin'), 'idempotency-key': key });
    expect(otherCaller.statusCode).toBe(201);
    expect(otherCaller.headers['idempotent-replayed']).toBeUndefined();
    expect(otherCaller.json().id).not.toBe(first.json().id);
  });

  it('keeps no failed answer: after a 4xx the same key runs again; a refused key never gets a row', async () => {
    const key = randomUUID();
    const refused = await post('/v1/chats', { ...chat, departmentId: 'nowhere' }, { ...auth('helpdesk'), 'idempotency-key': key });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    const retried = await post('/v1/chats', { ...chat, departmentId: 'nowhere' }, { ...auth('helpdesk'), 'idempotency-key': key });
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    const unknownKey = await post('/v1/chats', chat, { authorization: `Bearer ${'x'.repeat(30)}`, 'idempotency-key': key });
    expect(unknownKey.statusCode).toBe(401);
    const { rows } = await p.deps.db.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1', [key]);
    expect(rows[0]!.n).toBe(0);
  });

  it('on the portal, replays only to the same token: none without it, none after a rotation', async () => {
    const r = await createReturn(p.app, 'question');
    const key = randomUUID();
    const url = (token?: string) => `/v1/portal/returns/${r.id}/answer${token ? `?token=${encodeURIComponent(token)}` : ''}`;
    const first = await post(url(r.portalToken), { text: 'Sim' }, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect((await post(url(r.portalToken), { text: 'Sim' }, { 'idempotency-key': key })).headers['idempotent-replayed']).toBe('true');
    expect((await post(url(), { text: 'Sim' }, { 'idempotency-key': key })).statusCode).toBe(401);
    expect((await post(url('wrong-token'), { text: 'Sim' }, { 'idempotency-key': key })).statusCode).toBe(404);
    const rotated = await p.app.inject({ method: 'POST', url: `/v1/returns/${r.id}/portal-token/rotate`, headers: auth('helpdesk') });
    expect((await post(url(r.portalToken), { text: 'Sim' }, { 'idempotency-key': key })).statusCode).toBe(404);
    const fresh = await post(url(rotated.json().portalToken), { text: 'Sim' }, { 'idempotency-key': key });
    expect(fresh.statusCode).toBe(201);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
  });

  it('never stores a secret shown once: a replay says it was left out', async () => {
    const keyRequest = randomUUID();
    const created = await post('/v1/admin/keys', { name: `k-${keyRequest.slice(0, 8)}`, roles: ['helpdesk'] }, { ...auth('admin'), 'idempotency-key': keyRequest });
    const secret = created.json().secret as string;
    const replay = await post('/v1/admin/keys', { name: `k-${keyRequest.slice(0, 8)}`, roles: ['helpdesk'] }, { ...auth('admin'), 'idempotency-key': keyRequest });
    expect(replay.statusCode).toBe(201);
    expect(replay.json()).toMatchObject({ id: created.json().id, secretsOmitted: ['secret'] });
    expect(replay.json()).not.toHaveProperty('secret');

    const returnRequest = randomUUID();
    const body = returnBody('question');
    const r = await post('/v1/returns', body, { ...auth('helpdesk'), 'idempotency-key': returnRequest });
    const replayed = await post('/v1/returns', body, { ...auth('helpdesk'), 'idempotency-key': returnRequest });
    expect(replayed.json()).toMatchObject({ id: r.json().id, secretsOmitted: ['portalToken', 'portalUrl'] });

    const { rows } = await p.deps.db.query<{ response: unknown }>('SELECT response FROM idempotency_keys WHERE key = ANY($1)', [[keyRequest, returnRequest]]);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(r.json().portalToken);
  });

  it('frees a key whose request was cut short after the lease, and forgets rows that expired', async () => {
    const key = randomUUID();
    const { rows } = await p.deps.db.query<{ id: string }>("SELECT id FROM api_keys WHERE name = 'helpdesk'");
    await p.deps.db.query(
      `INSERT INTO idempotency_keys (owner, key, method, path, body_hash, created_at, locked_at, expires_at)
       VALUES ($1, $2, 'POST', '/v1/chats', 'x', $3, $3, $3::timestamptz + interval '1 day')`,
      [rows[0]!.id, key, clock.now()],
    );
    const busy = await post('/v1/chats', chat, { ...auth('helpdesk'), 'idempotency-key': key });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    clock.set(new Date(clock.now().getTime() + 61_000));
    expect((await post('/v1/chats', chat, { ...auth('helpdesk'), 'idempotency-key': key })).statusCode).toBe(201);

    const expiring = randomUUID();
    const first = await post('/v1/chats', chat, { ...auth('helpdesk'), 'idempotency-key': expiring });
    clock.advanceDays(1.01);
    const later = await post('/v1/chats', chat, { ...auth('helpdesk'), 'idempotency-key': expiring });
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json().id).not.toBe(first.json().id);
    const old = await p.deps.db.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE expires_at < $1', [clock.now()]);
    expect(old.rows[0]!.n).toBe(0);
  });
});
