// The updater sandbox: an emulator of the updater center's API in ../client.ts that applies each
// idempotency key once, with fault injection, including "applied, then the answer was lost".

import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export const SANDBOX_API_KEY = 'sandbox-updater-key';

export interface SandboxRelease {
  id: string;
  idempotencyKey: string;
  clientCode: string;
  system: string;
  version: string;
  releasedAt: string;
}

/**
 * The next `times` release calls answer `status`. With `afterApply` the release is applied
 * first and only the answer fails, as when a connection drops after the updater committed.
 */
export interface SandboxFault { status: number; times: number; afterApply?: boolean }

export interface UpdaterSandbox {
  url: string;
  apiKey: string;
  /** Releases applied, one per idempotency key. */
  releases: SandboxRelease[];
  /** Release calls received, failed and repeated ones included. */
  calls: number;
  fail(fault: SandboxFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

interface ReleaseBody { releaseId?: string; clientCode?: string; system?: string; version?: string }

export async function startUpdaterSandbox(options: { port?: number; host?: string } = {}): Promise<UpdaterSandbox> {
  const faults: SandboxFault[] = [];
  // logger off: the sandbox runs inside ponte and inside tests, and must not print.
  const app: FastifyInstance = Fastify({ logger: false });
  const handle: UpdaterSandbox = {
    url: '',
    apiKey: SANDBOX_API_KEY,
    releases: [],
    calls: 0,
    fail: (fault) => faults.push({ ...fault }),
    clearFaults: () => faults.splice(0),
    close: () => app.close(),
  };

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/__sandbox')) return;
    if (request.headers.authorization !== `Bearer ${SANDBOX_API_KEY}`) return reply.code(401).send({ error: 'unknown API key' });
  });

  app.post<{ Body: ReleaseBody }>('/releases', async (request, reply) => {
    handle.calls += 1;
    const fault = faults.find((f) => f.times > 0);
    if (fault) fault.times -= 1;
    if (fault && !fault.afterApply) return reply.code(fault.status).send({ error: `injected fault (${fault.status})` });
    const key = String(request.headers['idempotency-key'] ?? '');
    const { clientCode, system, version } = request.body ?? {};
    if (!key || !clientCode || !system || !version) return reply.code(422).send({ error: 'Idempotency-Key, clientCode, system and version are required' });
    let release = handle.releases.find((r) => r.idempotencyKey === key);
    const created = !release;
    if (!release) {
      release = { id: `upd_${randomUUID().slice(0, 8)}`, idempotencyKey: key, clientCode, system, version, releasedAt: new Date().toISOString() };
      handle.releases.push(release);
    }
    if (fault) return reply.code(fault.status).send({ error: `injected fault after applying (${fault.status})` });
    return reply.code(created ? 201 : 200).send({ ...release, status: 'released' });
  });

  // The same controls over HTTP, for a sandbox run out of process (demos, manual tests).
  app.get('/__sandbox/state', async () => ({ releases: handle.releases, calls: handle.calls }));
  app.post<{ Body: SandboxFault }>('/__sandbox/faults', async (request, reply) => {
    faults.push({ ...request.body });
    return reply.code(204).send();
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const { address, port } = app.server.address() as AddressInfo;
  handle.url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return handle;
}
