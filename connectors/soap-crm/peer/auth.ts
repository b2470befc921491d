// The peer's credentials checks: WS-Security UsernameToken (PasswordText or PasswordDigest,
// through node-soap's `authenticate` hook: a refusal is a 401 Client fault) and HTTP basic.

import { timingSafeEqual } from 'node:crypto';
import { passwordDigest } from 'soap';

export interface PeerAuth {
  type: 'wsse' | 'basic';
  username: string;
  password: string;
}

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** A text node as node-soap parses it: a string, or `{ $value }` when it had attributes. */
function value(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && node !== null && typeof (node as { $value?: unknown }).$value === 'string') return (node as { $value: string }).$value;
  return '';
}

function attribute(node: unknown, name: string): string {
  const attributes = typeof node === 'object' && node !== null ? (node as { attributes?: Record<string, unknown> }).attributes : undefined;
  return typeof attributes?.[name] === 'string' ? attributes[name] : '';
}

/** node-soap's `authenticate` hook: receives the parsed wsse:Security header. */
export function wsseAuthenticator(auth: PeerAuth): (security: unknown) => boolean {
  return (security) => {
    const token = (security as { UsernameToken?: Record<string, unknown> } | undefined)?.UsernameToken;
    if (!token || !sameText(value(token.Username), auth.username)) return false;
    const password = value(token.Password);
    if (attribute(token.Password, 'Type').endsWith('#PasswordDigest')) {
      return sameText(password, passwordDigest(value(token.Nonce), value(token.Created), auth.password));
    }
    return sameText(password, auth.password);
  };
}

export function basicAuthorized(header: string | undefined, auth: PeerAuth): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return false;
  return sameText(Buffer.from(match[1]!, 'base64').toString('utf8'), `${auth.username}:${auth.password}`);
}
