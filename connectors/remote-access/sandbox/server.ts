// The remote-access sandbox: a stateful emulator of the provider API in ../client.ts, with
// fault injection, for tests and for running ponte without a provider. Sessions start
// `waiting`; a test (or GET/POST /__sandbox/...) moves them as a technician and client would.

import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { AddressInfo } from 'node:net';
import { randomInt, randomUUID } from 'node:crypto';
import { REMOTE_STATES, type RemoteState } from '../../../src/tools/contracts.js';

export const SANDBOX_API_KEY = 'sandbox-remote-access-key';

export type SandboxOperation = 'createSession' | 'getSession';

export interface SandboxRemoteSession {
  id: string;
  reference: string;
  label: string;
  accessCode: string;
  link: string;
  state: RemoteState;
  reason?: string;
  createdAt: string;
}

/** The next `times` calls of `operation` answer `status` without doing anything. */
export interface SandboxFault { operation: SandboxOperation; status: number; times: number }

export interface RemoteAccessSandbox {
  url: string;
  apiKey: string;
  sessions: Map<string, SandboxRemoteSession>;
  /** Calls received per operation, failed and repeated ones included. */
  calls: Record<SandboxOperation, number>;
  setState(sessionId: string, state: RemoteState, reason?: string): void;
  fail(fault: SandboxFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const accessCode = () => Array.from({ length: 3 }, () => String(randomInt(0, 1000)).padStart(3, '0')).join(' ');

export async function startRemoteAccessSandbox(options: { port?: number; host?: string } = {}): Promise<RemoteAccessSandbox> {
  const sessions = new Map<string, SandboxRemoteSession>();
  const byReference = new Map<string, SandboxRemoteSession>();
  const calls: Record<SandboxOperation, number> = { createSession: 0, getSession: 0 };
  const faults: SandboxFault[] = [];
  // logger off: the sandbox runs inside ponte and inside tests, and must not print.
  const app: FastifyInstance = Fastify({ logger: false });
  let baseUrl = '';

  /** Counts the call and answers an injected fault if one is due; true when it answered. */
  const faulted = (operation: SandboxOperation, reply: FastifyReply): boolean => {
    calls[operation] += 1;
    const fault = faults.find((f) => f.operation === operation && f.times > 0);
    if (!fault) return false;
    fault.times -= 1;
    void reply.code(fault.status).send({ error: `injected fault (${fault.status})` });
    return true;
  };
  const setState = (sessionId: string, state: RemoteState, reason?: string) => {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`sandbox: no remote session ${sessionId}`);
    session.state = state;
    session.reason = reason;
  };

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/__sandbox') || request.url.startsWith('/join/')) return;
    if (request.headers.authorization !== `Bearer ${SANDBOX_API_KEY}`) return reply.code(401).send({ error: 'unknown API key' });
  });

  app.post<{ Body: { reference?: string; label?: string } }>('/sessions', async (request, reply) => {
    if (faulted('createSession', reply)) return reply;
    const reference = String(request.headers['idempotency-key'] ?? request.body?.reference ?? '');
    if (!reference) return reply.code(400).send({ error: 'Idempotency-Key header or reference is required' });
    const existing = byReference.get(reference);
    if (existing) return reply.code(200).send(existing);
    const id = `rs_${randomUUID().slice(0, 8)}`;
    const session: SandboxRemoteSession = {
      id, reference, label: String(request.body?.label ?? ''), accessCode: accessCode(), link: `${baseUrl}/join/${id}`, state: 'waiting', createdAt: new Date().toISOString(),
    };
    sessions.set(id, session);
    byReference.set(reference, session);
    return reply.code(201).send(session);
  });

  app.get<{ Params: { id: string } }>('/sessions/:id', async (request, reply) => {
    if (faulted('getSession', reply)) return reply;
    const session = sessions.get(request.params.id);
    return session ? session : reply.code(404).send({ error: `no session ${request.params.id}` });
  });

  app.get<{ Params: { id: string } }>('/join/:id', async (request, reply) =>
    reply.type('text/plain').send(sessions.has(request.params.id) ? `Sandbox remote session ${request.params.id}: nothing to install here.` : 'Unknown session.'));

  // The same controls over HTTP, for a sandbox run out of process (demos, manual tests).
  app.get('/__sandbox/state', async () => ({ sessions: [...sessions.values()], calls }));
  app.post<{ Params: { id: string }; Body: { state?: RemoteState; reason?: string } }>('/__sandbox/sessions/:id/state', async (request, reply) => {
    const { state, reason } = request.body ?? {};
    if (!state || !REMOTE_STATES.includes(state) || !sessions.has(request.params.id)) return reply.code(400).send({ error: 'known session and a valid state required' });
    setState(request.params.id, state, reason);
    return reply.code(204).send();
  });
  app.post<{ Body: SandboxFault }>('/__sandbox/faults', async (request, reply) => {
    faults.push({ ...request.body });
    return reply.code(204).send();
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const { address, port } = app.server.address() as AddressInfo;
  baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return { url: baseUrl, apiKey: SANDBOX_API_KEY, sessions, calls, setState, fail: (fault) => faults.push({ ...fault }), clearFaults: () => faults.splice(0), close: () => app.close() };
}
