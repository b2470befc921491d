// A REST ERP in the Bimer "Core" (11.x) style, for tests: JWT sign-in at /api/autenticacao/token
// answering {accessToken, expiresIn} (an integration key in X-Chave-Api or HTTP basic also open the
// API), camelCase and nested bodies, the {listaObjetos} envelope, a paged catalogue, 404/422 errors. No TypeScript under connectors/ knows it: the `bimer-core`
// mapping set (mappings/bimer-core/) and settings alone reach it.

import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { registerCoreRoutes } from './routes.js';
import { seededCoreState, type CoreState } from './state.js';

export { CORE_SEED } from './state.js';

export type CoreFault =
  | { type: 'status'; status: number }
  | { type: 'validation'; campo: string; mensagem: string }
  | { type: 'text'; status: number }
  | { type: 'html'; status: number }
  | { type: 'delay'; ms: number }
  | { type: 'token-expired' }
  | { type: 'crash-after-create' };

interface Armed { method: string; path: RegExp; left: number; action: CoreFault }

export interface CorePeer {
  url: string;
  state: CoreState;
  inject(method: string, path: RegExp, action: CoreFault, times?: number): void;
  close(): Promise<void>;
}

export const CORE_CREDENTIALS = { username: 'ponte', password: 'core-peer-password' };

const jwt = (): string => ['eyJhbGciOiJIUzI1NiJ9', randomBytes(18).toString('base64url'), randomBytes(16).toString('base64url')].join('.');

export async function startBimerCorePeer(options: { tokenTtlSeconds?: number } = {}): Promise<CorePeer> {
  const state = seededCoreState(CORE_CREDENTIALS, options.tokenTtlSeconds ?? 899);
  const faults: Armed[] = [];
  const crashing = new WeakSet<FastifyRequest>();
  const seen = new WeakMap<FastifyRequest, CoreState['requests'][number]>();
  const app = Fastify({ logger: false });

  app.addHook('onRequest', async (req, reply) => {
    const traceparent = req.headers.traceparent;
    state.requests.push({ method: req.method, url: req.url, ...(typeof traceparent === 'string' ? { traceparent } : {}) });
    seen.set(req, state.requests.at(-1)!);
    const fault = faults.find((f) => f.method === req.method && f.path.test(req.url.split('?')[0]!));
    if (fault) {
      if (--fault.left <= 0) faults.splice(faults.indexOf(fault), 1);
      const a = fault.action;
      if (a.type === 'status') return reply.code(a.status).send({ erros: [{ codigo: 'INDISPONIVEL', mensagem: 'Serviço indisponível' }] });
      if (a.type === 'validation') return reply.code(422).send({ erros: [{ codigo: 'VALIDACAO', campo: a.campo, mensagem: a.mensagem }] });
      if (a.type === 'text') return reply.code(a.status).type('text/plain').send('Internal Server Error');
      if (a.type === 'html') return reply.code(a.status).type('text/html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
      if (a.type === 'token-expired') return reply.code(401).send({ erros: [{ codigo: 'TOKEN_EXPIRADO', mensagem: 'Token expirado' }] });
      if (a.type === 'delay') await new Promise((r) => setTimeout(r, a.ms));
      if (a.type === 'crash-after-create') crashing.add(req);
    }
    if (req.url.startsWith('/api/autenticacao/')) return undefined;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const until = token ? state.tokens.get(token) : undefined;
    if (until !== undefined && until > Date.now()) return undefined;
    const key = req.headers['x-chave-api'];
    if (typeof key === 'string' && state.apiKeys.has(key)) return undefined;
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (basic && Buffer.from(basic, 'base64').toString('utf8') === `${state.credentials.username}:${state.credentials.password}`) return undefined;
    return reply.code(401).send({ erros: [{ codigo: 'TOKEN_EXPIRADO', mensagem: 'Token inválido ou expirado' }] });
  });
  app.addHook('onResponse', async (req, reply) => {
    const entry = seen.get(req);
    if (entry) entry.status = reply.statusCode;
  });
  app.addHook('onSend', async (req: FastifyRequest, _reply: FastifyReply, payload) => {
    if (crashing.has(req)) req.raw.socket.destroy();
    return payload;
  });

  app.post('/api/autenticacao/token', async (req, reply) => {
    const { username, password } = (req.body ?? {}) as Record<string, unknown>;
    if (username !== state.credentials.username || password !== state.credentials.password) {
      return reply.code(401).send({ erros: [{ codigo: 'CREDENCIAIS', mensagem: 'Usuário ou senha inválidos' }] });
    }
    const accessToken = jwt();
    state.tokens.set(accessToken, Date.now() + state.tokenTtlSeconds * 1000);
    state.signIns++;
    return { accessToken, expiresIn: state.tokenTtlSeconds, tokenType: 'Bearer' };
  });
  registerCoreRoutes(app, state);

  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    inject: (method, path, action, times = 1) => void faults.push({ method, path, action, left: times }),
    close: () => app.close(),
  };
}
