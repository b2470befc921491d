// The queue board's browser session: a browser opening /admin/queues cannot send a Bearer
// header, so the admin page trades its key for a short-lived cookie. The token is
// `keyId.expiry.HMAC-SHA256(key's stored hash, "keyId.expiry")`: no server secret to manage,
// and revoking the key (or removing its admin role) ends every session made with it.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import type { ApiKey, Role } from '../auth/api-keys.js';

export const SESSION_COOKIE = 'ponte_admin';
export const SESSION_TTL_SECONDS = 8 * 3600;

const sign = (hash: string, payload: string) => createHmac('sha256', hash).update(payload).digest('base64url');

async function activeKey(q: Queryable, id: string): Promise<(ApiKey & { hash: string }) | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await q.query('SELECT id, name, roles, profile_id, hash FROM api_keys WHERE id = $1 AND revoked_at IS NULL', [id]);
  const r = rows[0];
  return r ? { id: r.id, name: r.name, roles: r.roles as Role[], profileId: r.profile_id, hash: r.hash } : undefined;
}

export async function issueSession(q: Queryable, keyId: string, now: Date): Promise<string | undefined> {
  const key = await activeKey(q, keyId);
  if (!key) return undefined;
  const payload = `${key.id}.${Math.floor(now.getTime() / 1000) + SESSION_TTL_SECONDS}`;
  return `${payload}.${sign(key.hash, payload)}`;
}

/** The admin key behind a valid, unexpired token; undefined otherwise. */
export async function verifySession(q: Queryable, token: string, now: Date): Promise<ApiKey | undefined> {
  const [id, expiry, mac] = token.split('.');
  if (!id || !expiry || !mac || !/^\d{1,12}$/.test(expiry) || Number(expiry) * 1000 < now.getTime()) return undefined;
  const key = await activeKey(q, id);
  if (!key || !key.roles.includes('admin')) return undefined;
  const expected = Buffer.from(sign(key.hash, `${id}.${expiry}`));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  const { hash: _hash, ...apiKey } = key;
  return apiKey;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
