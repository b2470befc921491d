// The Bimer sandbox: a stateful emulator of the CRM contract in design/BIMER.md (OAuth, envelope,
// error codes, validation) with fault injection, for tests and for running ponte without an ERP.

import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { erro } from './answers.js';
import { registerCaseRoutes } from './cases.js';
import { Faults, type FaultRule } from './faults.js';
import { bearerCheck, registerOAuth } from './oauth.js';
import { registerReadRoutes } from './routes.js';
import { createSandboxState, publicView, type SandboxCredentials, type SandboxState } from './state.js';
import { loadRecords, recordsSaver } from './records.js';

export { SANDBOX_CREDENTIALS } from './state.js';
export { SEED } from './seed.js';
export type { FaultAction, FaultRule } from './faults.js';
export type { SandboxState, SandboxCredentials } from './state.js';

const MAX_REQUESTS_KEPT = 1000;

export interface SandboxOptions {
  port?: number;
  host?: string;
  credentials?: Partial<SandboxCredentials>;
  /** expires_in of access tokens, in seconds (default 3600). */
  tokenTtlSeconds?: number;
  refreshTtlSeconds?: number;
  /** The sandbox's clock (token expiry, dates it stamps). */
  now?: () => number;
  /** Keep the cases and number series in this file (read at start, written before each write is answered). */
  recordsFile?: string;
}

export interface BimerSandbox {
  url: string;
  state: SandboxState;
  faults: Faults;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The app without a listening socket (for app.inject()). */
export function buildBimerSandbox(options: SandboxOptions = {}): { app: FastifyInstance; state: SandboxState; faults: Faults } {
  const now = options.now ?? Date.now;
  const state = createSandboxState(options);
  const faults = new Faults();
  // logger off: the sandbox runs inside ponte and inside tests, and must not print.
  const app = Fastify({ logger: false });
  if (options.recordsFile) {
    loadRecords(options.recordsFile, state);
    const save = recordsSaver(options.recordsFile, state);
    // Saved before the answer leaves: a number the caller has seen is never given again.
    app.addHook('onSend', async (request, _reply, payload) => {
      if (request.method !== 'GET' && request.url.startsWith('/api/')) await save();
      return payload;
    });
  }

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/__sandbox')) return;
    const { traceparent, 'x-request-id': requestId } = request.headers;
    state.requests.push({
      method: request.method, url: request.url, at: new Date(now()).toISOString(),
      ...(typeof traceparent === 'string' ? { traceparent } : {}), ...(typeof requestId === 'string' ? { requestId } : {}),
    });
    // Bounded, since the sandbox also serves a long-running `ponte serve`.
    if (state.requests.length > MAX_REQUESTS_KEPT) state.requests.shift();
  });
  faults.install(app);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/')) return bearerCheck(state, now)(request, reply);
  });

  // Like the real ERP: a body it cannot read is a 500 carrying "-1"; an unknown path is ASP.NET's 404.
  app.setErrorHandler(async (err: Error, _request, reply) => reply.code(500).send(erro('-1', 'Erro ao processar a requisição', err.message)));
  app.setNotFoundHandler(async (request, reply) => reply.code(404).send({ Message: `No HTTP resource was found that matches the request URI '${request.url}'.` }));

  registerOAuth(app, state, now);
  registerReadRoutes(app, state);
  registerCaseRoutes(app, state, now);
  registerAdminRoutes(app, state, faults);
  return { app, state, faults };
}

interface FaultBody { method?: string; path?: string; pathRegex?: string; times?: number; action: FaultRule['action'] }

/** Read-only state and fault injection over HTTP, for tests that run the sandbox out of process. */
function registerAdminRoutes(app: FastifyInstance, state: SandboxState, faults: Faults): void {
  app.get('/__sandbox/state', async () => publicView(state));
  app.get('/__sandbox/faults', async () => faults.pending().map((r) => ({ ...r, path: String(r.path) })));
  app.post<{ Body: FaultBody }>('/__sandbox/faults', async (request, reply) => {
    const { method, path, pathRegex, times, action } = request.body ?? ({} as FaultBody);
    if (!action || typeof action.type !== 'string' || (!path && !pathRegex)) {
      return reply.code(400).send(erro('-1', 'Falha inválida', 'action: informe action.type e path ou pathRegex'));
    }
    faults.inject({ method, path: pathRegex ? new RegExp(pathRegex) : path!, times, action });
    return reply.code(204).send();
  });
  app.delete('/__sandbox/faults', async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });
}

/** Starts the sandbox on host:port (127.0.0.1 and a free port by default). */
export async function startBimerSandbox(options: SandboxOptions = {}): Promise<BimerSandbox> {
  const { app, state, faults } = buildBimerSandbox(options);
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const { address, port } = app.server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return { url: `http://${host}:${port}`, state, faults, app, close: () => app.close() };
}
