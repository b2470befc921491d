// Per-return portal tokens: 32 random bytes (base64url) handed out once; only their SHA-256
// is stored, so a database leak gives no access, and comparing is constant-time.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function hashPortalToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newPortalToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashPortalToken(token) };
}

export function portalTokenMatches(token: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const given = Buffer.from(hashPortalToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The link the client opens: JSON for the portal's front end, the HTML page for a browser. */
export function portalUrl(publicUrl: string, returnId: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/portal/returns/${returnId}?token=${encodeURIComponent(token)}`;
}
