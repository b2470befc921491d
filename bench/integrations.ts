// End-to-end integrations/s: finished sessions in, ERP cases created in the Bimer sandbox,
// through the outbox, BullMQ and the pipeline. Run alone: npx tsx bench/integrations.ts

import { randomUUID } from 'node:crypto';
import { ingestSession, type SessionInput } from '../src/chats/sessions.js';
import { startBenchPonte, type Mode } from './lib/ponte.js';
import { startServers, type Servers } from './lib/servers.js';
import { table, machine } from './lib/report.js';

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

/** Posts `n` sessions (one integration each) and waits until every integration succeeded. */
export async function integrationsPerSecond(mode: Mode, servers: Servers, n: number): Promise<number> {
  const p = await startBenchPonte(mode, servers, { workers: true });
  try {
    await ingestSession(p.deps, benchSession(10));
    const started = performance.now();
    for (let i = 0; i < n; i += 20) await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => ingestSession(p.deps, benchSession(10))));
    for (;;) {
      const { rows } = await p.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM integrations WHERE status = 'succeeded'");
      if (rows[0]!.n >= n + 1) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    return n / ((performance.now() - started) / 1000);
  } finally {
    await p.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const servers = await startServers();
  try {
    const rows = [];
    for (const [mode, n] of [['redis', 1000], ['postgres', 500], ['embedded', 200]] as Array<[Mode, number]>) {
      rows.push({ mode, 'integrations/s': Math.round(await integrationsPerSecond(mode, servers, n)) });
    }
    process.stdout.write(`${machine()}\n\n${table('End-to-end integrations to the Bimer sandbox', rows)}\n`);
  } finally {
    await servers.stop();
  }
}
