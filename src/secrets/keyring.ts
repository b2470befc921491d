// Secrets at rest: values ponte must read back later (webhook signing secrets, a portal link
// waiting to be mailed) are sealed with AES-256-GCM under PONTE_SECRET_KEY; HMAC keys for
// other purposes (the admin session cookie) are derived from it with HKDF, so the one
// environment secret is all an operator keeps. During a rotation PONTE_SECRET_KEY_PREVIOUS
// still opens what the old key sealed until everything is sealed again (src/secrets/rotate.ts).

import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { PonteError } from '../errors.js';

const VERSION = 'v1';
const KEY_BYTES = 32;

/** 32 bytes from base64, base64url or hex; undefined for anything else. */
export function parseSecretKey(raw: string): Buffer | undefined {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return undefined;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}

/** A short public name of a key, stored beside what it sealed so rotation knows what is old. */
function keyId(key: Buffer): string {
  return createHash('sha256').update('ponte key id\n').update(key).digest('hex').slice(0, 12);
}

export class SecretUnreadable extends PonteError {
  constructor(message: string) {
    super('SECRET_UNREADABLE', message, { status: 500 });
  }
}

export class Keyring {
  readonly #current: { id: string; key: Buffer };
  readonly #previous: { id: string; key: Buffer } | undefined;

  constructor(current: Buffer, previous?: Buffer) {
    this.#current = { id: keyId(current), key: current };
    this.#previous = previous && !previous.equals(current) ? { id: keyId(previous), key: previous } : undefined;
  }

  /** `v1:<key id>:<iv>:<ciphertext+tag>`, base64url parts. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.#current.id, iv.toString('base64url'), body.toString('base64url')].join(':');
  }

  open(sealed: string): string {
    const [version, id, iv, body] = sealed.split(':');
    if (version !== VERSION || !id || !iv || !body) throw new SecretUnreadable('a stored secret is not in the sealed format');
    const key = id === this.#current.id ? this.#current.key : id === this.#previous?.id ? this.#previous.key : undefined;
    if (!key) throw new SecretUnreadable(`a stored secret was sealed with another key (${id}); set that key as PONTE_SECRET_KEY_PREVIOUS`);
    const data = Buffer.from(body, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadable('a stored secret failed its integrity check');
    }
  }

  /** Sealed with something other than the current key (so due for re-sealing). */
  isStale(sealed: string): boolean {
    return sealed.split(':')[1] !== this.#current.id;
  }

  /** The LIKE pattern of values sealed with the current key, for SQL that finds the stale ones. */
  get currentPrefix(): string {
    return `${VERSION}:${this.#current.id}:`;
  }

  /** A 32-byte key for one purpose (e.g. "admin-session"), stable as long as PONTE_SECRET_KEY is. */
  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#current.key, Buffer.alloc(0), `ponte ${purpose}`, KEY_BYTES));
  }
}
