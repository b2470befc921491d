// The sandbox's OAuth: Bimer's password grant (md5(username + nonce + password), each nonce
// once), refresh tokens that rotate, and the bearer check in front of /api.

import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tokenInvalid } from './answers.js';
import type { SandboxState } from './state.js';

type Form = Record<string, string | undefined>;

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');
const newToken = (): string => randomBytes(24).toString('base64url');

function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).send({ error, error_description: description });
}

function issue(state: SandboxState, now: number, grantType: 'password' | 'refresh_token'): Record<string, unknown> {
  const { auth } = state;
  // The sandbox may run for days under `ponte serve`: expired tokens are dropped, not kept.
  for (const tokens of [auth.accessTokens, auth.refreshTokens]) for (const [t, { expiresAt }] of tokens) if (expiresAt <= now) tokens.delete(t);
  const access = newToken();
  const refresh = newToken();
  auth.accessTokens.set(access, { expiresAt: now + auth.tokenTtlSeconds * 1000 });
  auth.refreshTokens.set(refresh, { expiresAt: now + auth.refreshTtlSeconds * 1000 });
  auth.issued.push(access, refresh);
  auth.grants.push({ grantType, at: new Date(now).toISOString() });
  return { access_token: access, token_type: 'bearer', expires_in: auth.tokenTtlSeconds, refresh_token: refresh };
}

function passwordGrant(state: SandboxState, form: Form, now: number, reply: FastifyReply): FastifyReply {
  const { credentials, usedNonces } = state.auth;
  if (form.client_id !== credentials.clientId || form.client_secret !== credentials.clientSecret) {
    return oauthError(reply, 401, 'invalid_client', 'client_id ou client_secret inválido');
  }
  if (!form.nonce || !form.username || !form.password) return oauthError(reply, 400, 'invalid_request', 'username, nonce e password são obrigatórios');
  if (usedNonces.has(form.nonce)) return oauthError(reply, 400, 'invalid_grant', 'nonce já utilizado');
  usedNonces.add(form.nonce);
  const expected = md5(credentials.username + form.nonce + credentials.password);
  if (form.username !== credentials.username || form.password !== expected) return oauthError(reply, 400, 'invalid_grant', 'usuário ou senha inválidos');
  return reply.send(issue(state, now, 'password'));
}

function refreshGrant(state: SandboxState, form: Form, now: number, reply: FastifyReply): FastifyReply {
  const { credentials, refreshTokens } = state.auth;
  if (form.client_id !== credentials.clientId) return oauthError(reply, 401, 'invalid_client', 'client_id inválido');
  const known = form.refresh_token ? refreshTokens.get(form.refresh_token) : undefined;
  if (!known || known.expiresAt <= now) return oauthError(reply, 400, 'invalid_grant', 'refresh_token inválido ou expirado');
  // Rotation: a refresh token is good once.
  refreshTokens.delete(form.refresh_token!);
  return reply.send(issue(state, now, 'refresh_token'));
}

export function registerOAuth(app: FastifyInstance, state: SandboxState, now: () => number): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post('/oauth/token', async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    if (form.grant_type === 'password') return passwordGrant(state, form, now(), reply);
    if (form.grant_type === 'refresh_token') return refreshGrant(state, form, now(), reply);
    return oauthError(reply, 400, 'unsupported_grant_type', `grant_type ${form.grant_type ?? '(ausente)'} não suportado`);
  });
}

/** onRequest hook for /api: a known, unexpired bearer token or 401 T01. */
export function bearerCheck(state: SandboxState, now: () => number) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const header = request.headers.authorization ?? '';
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    const known = token ? state.auth.accessTokens.get(token) : undefined;
    if (known && known.expiresAt > now()) return undefined;
    if (token && known) state.auth.accessTokens.delete(token);
    return reply.code(401).send(tokenInvalid());
  };
}
