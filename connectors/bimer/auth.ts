// Bimer's OAuth token: password grant with md5(username + nonce + password), refreshed before
// it expires, one token shared by every concurrent call (public clients that fetched a token
// per request, or never refreshed it, are what this avoids).

import { createHash, randomBytes } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { CallContext, ConnectorLogger } from '../../src/connectors/contract.js';
import { ConnectorError } from '../../src/errors.js';
import { classifyNetworkError, classifyTokenAnswer } from './errors.js';
import { recordExchange } from './trace.js';

/** Where calls get their bearer token; the classic password grant below, a Core API one later. */
export interface TokenSource {
  token(ctx?: CallContext): Promise<string>;
  /** The ERP refused this token: the next token() obtains a new one (once, however many callers saw it refused). */
  invalidate(token: string): void;
}

export interface Credentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

/** Bimer's password proof: lowercase hex md5 of username + nonce + plain password. */
export function passwordDigest(username: string, nonce: string, password: string): string {
  return createHash('md5').update(username + nonce + password, 'utf8').digest('hex');
}

export const newNonce = (): string => randomBytes(16).toString('hex');

interface Token {
  access: string;
  refresh?: string;
  expiresAt: number;
  lifetimeMs: number;
}

export interface PasswordGrantOptions {
  http: AxiosInstance;
  credentials: Credentials;
  log: ConnectorLogger;
  now?: () => number;
  /** Refresh this long before expiry (capped at a tenth of the token's lifetime, so short tokens are still reused). */
  marginMs?: number;
  nonce?: () => string;
}

const TOKEN_PATH = '/oauth/token';

export class PasswordGrantTokens implements TokenSource {
  private current: Token | undefined;
  private pending: Promise<Token> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: PasswordGrantOptions) {
    this.now = options.now ?? Date.now;
  }

  async token(ctx?: CallContext): Promise<string> {
    const current = this.current;
    if (current && !this.expiring(current)) return current.access;
    // Single flight: callers arriving while a token request runs wait for that one.
    this.pending ??= this.obtain(current, ctx).finally(() => {
      this.pending = undefined;
    });
    return (await this.pending).access;
  }

  invalidate(token: string): void {
    // Keep the refresh token: a refused access token does not mean the refresh token is gone.
    if (this.current?.access === token) this.current = { ...this.current, expiresAt: 0 };
  }

  private expiring(t: Token): boolean {
    const margin = Math.min(this.options.marginMs ?? 30_000, t.lifetimeMs / 10);
    return this.now() >= t.expiresAt - margin;
  }

  private async obtain(previous: Token | undefined, ctx?: CallContext): Promise<Token> {
    if (previous?.refresh) {
      try {
        return (this.current = await this.request({ grant_type: 'refresh_token', client_id: this.options.credentials.clientId, refresh_token: previous.refresh }, ctx));
      } catch (err) {
        // A refused refresh token (expired, revoked, ERP restarted) falls back to the password grant.
        if (!(err instanceof ConnectorError) || err.code !== 'ERP_AUTH_REJECTED') throw err;
        (ctx?.log ?? this.options.log).info({ code: err.code }, 'bimer refresh token refused; signing in again');
      }
    }
    const { clientId, clientSecret, username, password } = this.options.credentials;
    const nonce = (this.options.nonce ?? newNonce)();
    const form = { grant_type: 'password', client_id: clientId, client_secret: clientSecret, username, nonce, password: passwordDigest(username, nonce, password) };
    return (this.current = await this.request(form, ctx));
  }

  /** Traced (redacted) into the context of the call that needed the token: its attempt shows why it waited. */
  private async request(form: Record<string, string>, ctx?: CallContext): Promise<Token> {
    const call = { operation: `token:${form.grant_type}`, now: this.now };
    const started = this.now();
    const seen = { operation: call.operation, method: 'POST', path: TOKEN_PATH, body: form };
    let answer;
    try {
      answer = await this.options.http.post(TOKEN_PATH, new URLSearchParams(form).toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      });
    } catch (err) {
      const error = classifyNetworkError(err, call);
      recordExchange(ctx, this.options.log, { ...seen, error: (error.cause as { code?: string }).code, durationMs: this.now() - started });
      throw error;
    }
    recordExchange(ctx, this.options.log, { ...seen, status: answer.status, response: answer.data, durationMs: this.now() - started });
    const error = classifyTokenAnswer({ status: answer.status, data: answer.data, headers: answer.headers as Record<string, unknown> }, call);
    if (error) throw error;
    const body = answer.data as { access_token: string; refresh_token?: unknown; expires_in?: unknown };
    // Without a usable expires_in, assume five minutes rather than forever.
    const lifetimeMs = Number(body.expires_in) > 0 ? Number(body.expires_in) * 1000 : 300_000;
    return {
      access: body.access_token,
      refresh: typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : undefined,
      expiresAt: started + lifetimeMs,
      lifetimeMs,
    };
  }
}
