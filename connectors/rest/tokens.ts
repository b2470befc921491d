// One token shared by every concurrent call: obtained once (single flight), reused until shortly
// before it expires, dropped when the ERP refuses it. Public Bimer clients that fetched a token per
// request, never refreshed it, or set it on a shared client object are what this avoids.

import type { CallContext } from '../../src/connectors/contract.js';

export interface Token {
  access: string;
  refresh?: string;
  expiresAt: number;
  lifetimeMs: number;
}

/** Obtains a token; `previous` is the one being replaced (its refresh token, if any). */
export type SignIn = (previous: Token | undefined, ctx?: CallContext) => Promise<Token>;

/** Without a usable expires_in, assume five minutes rather than forever. */
export const DEFAULT_LIFETIME_MS = 300_000;

export function lifetimeOf(expiresIn: unknown): number {
  return Number(expiresIn) > 0 ? Number(expiresIn) * 1000 : DEFAULT_LIFETIME_MS;
}

export class TokenCache {
  private current: Token | undefined;
  private pending: Promise<Token> | undefined;

  constructor(
    private readonly signIn: SignIn,
    private readonly now: () => number,
    /** Renew this long before expiry (capped at a tenth of the lifetime, so short tokens are still reused). */
    private readonly marginMs = 30_000,
  ) {}

  async token(ctx?: CallContext): Promise<string> {
    const current = this.current;
    if (current && !this.expiring(current)) return current.access;
    // Callers arriving while a token request runs wait for that one.
    this.pending ??= this.signIn(current, ctx)
      .then((t) => (this.current = t))
      .finally(() => {
        this.pending = undefined;
      });
    return (await this.pending).access;
  }

  /** The ERP refused this token: the next token() obtains another (once, however many callers saw it refused). */
  invalidate(token: string | undefined): boolean {
    // The refresh token is kept: a refused access token does not mean the refresh token is gone.
    if (token !== undefined && this.current?.access === token) this.current = { ...this.current, expiresAt: 0 };
    return true;
  }

  private expiring(t: Token): boolean {
    return this.now() >= t.expiresAt - Math.min(this.marginMs, t.lifetimeMs / 10);
  }
}
