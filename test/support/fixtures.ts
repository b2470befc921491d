// Small factories for request bodies, using the Bimer sandbox's seeded catalogue.

import { randomUUID } from 'node:crypto';
import { SEED, SANDBOX_CREDENTIALS, startBimerSandbox, type BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

export { SEED };

export function integrationRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clientCode: SEED.clients.company,
    productId: SEED.products.erp,
    caseTypeId: SEED.caseTypes.support,
    closeCase: true,
    responsibilityCenterId: SEED.centers.support,
    subject: 'Erro ao emitir NF-e',
    standardOpinionId: '00A0000031',
    ...overrides,
  };
}

export function session(overrides: Record<string, unknown> = {}, messages = 4): Record<string, unknown> {
  const start = Date.parse('2026-11-20T13:00:00Z');
  return {
    externalId: `ext-${randomUUID()}`,
    client: { name: 'João Cliente', email: 'joao@paoquente.com.br', phone: '+55 11 4000-0000', clientCode: SEED.clients.company, companyName: 'Padaria Pão Quente Ltda' },
    agent: { id: 'ag-1', name: 'Ana Agente' },
    departmentId: 'suporte',
    subject: 'NF-e rejeitada',
    startedAt: new Date(start).toISOString(),
    closedAt: new Date(start + 600_000).toISOString(),
    messages: Array.from({ length: messages }, (_, i) => ({
      at: new Date(start + i * 10_000).toISOString(),
      from: i % 2 === 0 ? 'client' : 'agent',
      text: i % 2 === 0 ? `Mensagem ${i} do cliente: a nota fiscal foi rejeitada.` : `Resposta ${i}: vamos verificar o certificado.`,
    })),
    advanceOpinion: 'Certificado A1 vencido.',
    integrations: [integrationRequest()],
    ...overrides,
  };
}

export async function sandbox(options: { tokenTtlSeconds?: number } = {}): Promise<{ sandbox: BimerSandbox; env: Record<string, string> }> {
  const s = await startBimerSandbox(options);
  return {
    sandbox: s,
    env: {
      BIMER_URL: s.url,
      BIMER_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
      BIMER_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
      BIMER_USERNAME: SANDBOX_CREDENTIALS.username,
      BIMER_PASSWORD: SANDBOX_CREDENTIALS.password,
      BIMER_TIMEOUT_MS: '1000',
    },
  };
}
