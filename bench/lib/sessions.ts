// The session every benchmark posts (one integration, `messages` transcript lines), and a load
// generator posting N of them to a ponte server over HTTP.

import { randomUUID } from 'node:crypto';
import type { SessionInput } from '../../src/chats/sessions.js';
import { BENCH_KEY } from './ponte.js';

export function benchSession(messages: number): SessionInput {
  const start = Date.parse('2026-11-20T13:00:00Z');
  return {
    externalId: `bench-${randomUUID()}`,
    client: { name: 'Cliente Bench', email: 'bench@cliente.com.br', clientCode: '000012' },
    agent: { id: 'ag', name: 'Agente' },
    departmentId: 'suporte',
    subject: 'Bench',
    startedAt: new Date(start).toISOString(),
    closedAt: new Date(start + 60_000).toISOString(),
    messages: Array.from({ length: messages }, (_, i) => ({ at: new Date(start + i * 1000).toISOString(), from: i % 2 ? 'agent' : 'client', text: `Mensagem ${i}: a nota fiscal eletrônica foi rejeitada pela SEFAZ, vamos verificar o certificado.` })),
    integrations: [{ clientCode: '000012', productId: '00A0000011', caseTypeId: '00A0000021', closeCase: true, responsibilityCenterId: '00A0000051', subject: 'Bench', standardOpinionId: '00A0000031' }],
  };
}

/** POSTs `n` new sessions (10 messages each) to `ponteUrl`/v1/sessions, `inFlight` at a time. */
export async function postSessions(ponteUrl: string, n: number, inFlight = 20): Promise<void> {
  const template = benchSession(10);
  let left = n;
  const poster = async () => {
    while (left > 0) {
      left -= 1;
      const res = await fetch(`${ponteUrl}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_KEY}` },
        body: JSON.stringify({ ...template, externalId: `bench-${randomUUID()}` }),
      });
      if (!res.ok) throw new Error(`POST /v1/sessions: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, poster));
}
