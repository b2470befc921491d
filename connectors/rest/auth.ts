// REST auth strategies, chosen by the `auth` setting: bimer-classic (OAuth password grant with
// md5(username + nonce + password), refresh grant), bimer-core (JSON sign-in answering a JWT
// with its lifetime), bearer (a static token), api-key (a static key in a header), basic, none.

import { createHash, randomBytes } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { CallContext } from '../../src/connectors/contract.js';
import { ConnectorError } from '../../src/errors.js';
import type { KindOptions, Settings, TransportDeps, WireAnswer } from '../../src/connectors/kinds.js';
import { lifetimeOf, TokenCache, type Token } from './tokens.js';

export const STRATEGIES = ['bimer-classic', 'bimer-core', 'bearer', 'api-key', 'basic', 'none'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const DEFAULT_TOKEN_PATH: Partial<Record<Strategy, string>> = { 'bimer-classic': '/oauth/token', 'bimer-core': '/api/autenticacao/token' };

export interface Auth {
  apply(ctx?: CallContext): Promise<{ headers: Record<string, string>; credential?: string }>;
  renew(credential: string | undefined): boolean;
  signIn?(ctx?: CallContext): Promise<void>;
}

/** Bimer's password proof: lowercase hex md5 of username + nonce + plain password. */
export function passwordDigest(username: string, nonce: string, password: string): string {
  return createHash('md5').update(username + nonce + password, 'utf8').digest('hex');
}

const at = (root: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, step) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[step] : undefined), root);

/** The shared axios instance reads answers as text (see transport.ts); a token answer is JSON or it is not one. */
function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

interface TokenCall { operation: string; path: string; form?: Record<string, string>; json?: unknown; accessToken: string; expiresIn: string; refreshToken?: string }

/** One sign-in request, traced into the call that needed the token, classified by the set's rules. */
async function requestToken(http: AxiosInstance, deps: TransportDeps, call: TokenCall, ctx?: CallContext): Promise<Token> {
  const started = deps.now();
  const body = call.form ? new URLSearchParams(call.form).toString() : call.json;
  const seen = { method: 'POST', path: call.path, body: call.form ?? call.json };
  let wire: WireAnswer;
  try {
    const res = await http.post(call.path, body, {
      headers: { ...ctx?.headers, 'Content-Type': call.form ? 'application/x-www-form-urlencoded' : 'application/json', Accept: 'application/json' },
    });
    const data = parseJson(res.data);
    const oauth = typeof at(data, 'error') === 'string' ? [at(data, 'error'), at(data, 'error_description')].filter((x) => typeof x === 'string').join(': ') : '';
    wire = { status: res.status, headers: res.headers as Record<string, unknown>, body: data, why: [`HTTP ${res.status}`, oauth].filter(Boolean).join(', '), exchange: { operation: call.operation, request: seen, response: data } };
    const token = at(data, call.accessToken);
    if (res.status >= 200 && res.status < 300 && (typeof token !== 'string' || !token)) Object.assign(wire, { answer: 'not-envelope', why: `${wire.why}, no ${call.accessToken} in the answer` });
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'UNKNOWN';
    wire = { network: code, why: `${code}: ${(err as Error).message}`, exchange: { operation: call.operation, request: seen } };
  }
  const error = await deps.classify('token', wire);
  deps.record(ctx, { operation: call.operation, request: seen, response: wire.network ? { code: error?.code, error: wire.network } : wire.body, status: wire.status, durationMs: deps.now() - started });
  if (error) throw error;
  const refresh = call.refreshToken ? at(wire.body, call.refreshToken) : undefined;
  const lifetimeMs = lifetimeOf(at(wire.body, call.expiresIn));
  return { access: at(wire.body, call.accessToken) as string, refresh: typeof refresh === 'string' && refresh ? refresh : undefined, expiresAt: started + lifetimeMs, lifetimeMs };
}

function classicSignIn(http: AxiosInstance, s: Settings, deps: TransportDeps, nonce: () => string) {
  const path = s.tokenPath!;
  const oauth = { accessToken: 'access_token', expiresIn: 'expires_in', refreshToken: 'refresh_token' };
  return async (previous: Token | undefined, ctx?: CallContext): Promise<Token> => {
    if (previous?.refresh) {
      try {
        return await requestToken(http, deps, { operation: 'token:refresh_token', path, form: { grant_type: 'refresh_token', client_id: s.clientId!, refresh_token: previous.refresh }, ...oauth }, ctx);
      } catch (err) {
        // A refused refresh token (expired, revoked, ERP restarted) falls back to the password grant.
        if (!(err instanceof ConnectorError) || err.kind !== 'permanent') throw err;
        (ctx?.log ?? deps.log).info({ code: err.code }, 'refresh token refused; signing in again');
      }
    }
    const n = nonce();
    const form = { grant_type: 'password', client_id: s.clientId!, client_secret: s.clientSecret!, username: s.username!, nonce: n, password: passwordDigest(s.username!, n, s.password!) };
    return requestToken(http, deps, { operation: 'token:password', path, form, ...oauth }, ctx);
  };
}

function coreSignIn(http: AxiosInstance, s: Settings, options: KindOptions, deps: TransportDeps) {
  const t = options.token;
  return async (_previous: Token | undefined, ctx?: CallContext): Promise<Token> => {
    const input = { username: s.username, password: s.password, clientId: s.clientId, clientSecret: s.clientSecret };
    const json = t.body ? await t.body(input) : { username: s.username, password: s.password };
    return requestToken(http, deps, { operation: 'token', path: s.tokenPath!, json, accessToken: t.accessToken, expiresIn: t.expiresIn }, ctx);
  };
}

export function createAuth(http: AxiosInstance, s: Settings, options: KindOptions, deps: TransportDeps, nonce = () => randomBytes(16).toString('hex')): Auth {
  const strategy = s.auth as Strategy;
  if (strategy === 'bimer-classic' || strategy === 'bimer-core') {
    const tokens = new TokenCache(strategy === 'bimer-classic' ? classicSignIn(http, s, deps, nonce) : coreSignIn(http, s, options, deps), deps.now);
    return {
      async apply(ctx) {
        const token = await tokens.token(ctx);
        return { headers: { Authorization: `Bearer ${token}` }, credential: token };
      },
      renew: (credential) => tokens.invalidate(credential),
      async signIn(ctx) {
        await tokens.token(ctx);
      },
    };
  }
  const fixed: Record<string, string> =
    strategy === 'bearer' ? { Authorization: `Bearer ${s.token}` }
    : strategy === 'api-key' ? { [s.apiKeyHeader ?? 'X-API-Key']: s.token! }
    : strategy === 'basic' ? { Authorization: `Basic ${Buffer.from(`${s.username}:${s.password}`).toString('base64')}` }
    : {};
  // A static credential cannot be renewed: a refusal is final.
  return { apply: async () => ({ headers: fixed }), renew: () => false };
}
