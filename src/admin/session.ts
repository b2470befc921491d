// The queue board's browser session: a browser opening /admin/queues cannot send a Bearer
// header, so the admin page trades its key for a cookie. The session is a row (expiry fixed
// when issued, at most 8 h; revoked on sign-out or with its key) and the cookie is
// `sessionId.HMAC-SHA256(k, sessionId)` with k derived from PONTE_SECRET_KEY: a database
// read cannot forge one, and a cookie cannot choose its own expiry.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import type { ApiKey, Role } from '../auth/api-keys.js';
import type { Keyring } from '../secrets/keyring.js';

export const SESSION_COOKIE = 'ponte_admin';
export const SESSION_TTL_SECONDS = 8 * 3600;

const TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

const sign = (keyring: Keyring, sessionId: string) => createHmac('sha256', keyring.derive('admin-session')).update(sessionId).digest('base64url');

/** A new session for an active admin key; undefined when the key is gone or revoked. */
export async function issueSession(q: Queryable, keyring: Keyring, keyId: string, now: Date): Promise<string | undefined> {
  // Expired sessions are of no use to anyone: drop them while we are here.
  await q.query("DELETE FROM admin_sessions WHERE expires_at < $1::timestamptz - interval '1 day'", [now]);
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO admin_sessions (key_id, created_at, expires_at)
     SELECT id, $2, $2::timestamptz + make_interval(secs => $3) FROM api_keys WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
    [keyId, now, SESSION_TTL_SECONDS],
  );
  const id = rows[0]?.id;
  return id ? `${id}.${sign(keyring, id)}` : undefined;
}

/** The admin key behind a well-formed, correctly signed, unexpired and unrevoked session. */
export async function verifySession(q: Queryable, keyring: Keyring, token: string, now: Date): Promise<ApiKey | undefined> {
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const [, id, mac] = match;
  const expected = Buffer.from(sign(keyring, id!));
  if (!timingSafeEqual(expected, Buffer.from(mac!))) return undefined;
  const { rows } = await q.query(
    `SELECT k.id, k.name, k.roles, k.profile_id FROM admin_sessions s JOIN api_keys k ON k.id = s.key_id
     WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND k.revoked_at IS NULL`,
    [id, now],
  );
  const r = rows[0];
  if (!r || !(r.roles as Role[]).includes('admin')) return undefined;
  return { id: r.id, name: r.name, roles: r.roles as Role[], profileId: r.profile_id };
}

/** Signing out ends every board session of the key (the cookie is not sent to the API path). */
export async function revokeSessions(q: Queryable, keyId: string, now: Date): Promise<number> {
  const { rowCount } = await q.query('UPDATE admin_sessions SET revoked_at = $2 WHERE key_id = $1 AND revoked_at IS NULL', [keyId, now]);
  return rowCount ?? 0;
}

/** A cookie's value; undefined when absent or not decodable (a malformed cookie is no session). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
