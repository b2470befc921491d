// A newcomer's first start on the built-in sandbox ERP: an empty database gets the demo team
// (departments with systems, agents, a subject with situations, reply templates), once, and
// the README walk-through runs on it; a database that has a department, or a real ERP, gets
// nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPonte, type Ponte } from '../support/ponte.js';
import { ok } from '../chats/fixtures.js';
import { returnBody } from '../returns/fixtures.js';
import { seedDemo } from '../../src/admin/demo-seed.js';
import { onBuiltInSandbox } from '../../src/process.js';

describe('demo seed on the built-in sandbox', () => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte('embedded');
  }, 120_000);
  afterAll(async () => ponte?.close());

  it('is for the built-in sandbox only', async () => {
    expect(await onBuiltInSandbox(ponte.config, {})).toBe(true);
    expect(await onBuiltInSandbox(ponte.config, { BIMER_URL: 'https://erp.example' })).toBe(false);
  });

  it('seeds an empty database once, and the walk-through runs on it', async () => {
    const { app } = ponte;
    expect(await seedDemo(ponte.deps)).toBe(true);
    expect(await seedDemo(ponte.deps)).toBe(false);
    const departments = (await ok(app, 'GET', '/v1/departments')).items;
    expect(departments.map((d: { id: string; systems: string[] }) => [d.id, d.systems])).toEqual([['comercial', ['Bimer Folha']], ['suporte', ['Bimer ERP', 'Bimer CRM']]]);
    expect((await ok(app, 'GET', '/v1/agents')).items.map((a: { id: string }) => a.id).sort()).toEqual(['ana', 'bruno', 'carla']);
    expect(await ok(app, 'GET', '/v1/subjects/atendimento')).toMatchObject({ name: 'Atendimento', situations: ['Aberto', 'Em análise', 'Aguardando cliente', 'Resolvido', 'Cancelado'] });
    expect((await ok(app, 'GET', '/v1/reply-templates')).items.map((t: { name: string }) => t.name).sort()).toEqual(['Aguardando retorno', 'Saudação']);

    // Chat screen: the sandbox's delinquent client queues in Suporte, Ana accepts and sees the alert.
    const chat = await ok(app, 'POST', '/v1/chats', { client: { name: 'Cliente', email: 'financeiro@bompreco.example', clientCode: '56' }, departmentId: 'suporte', subject: 'Boleto' });
    await ok(app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'ana' });
    expect(await ok(app, 'GET', `/v1/chats/${chat.id}/details`)).toMatchObject({ delinquent: true, alerts: [expect.objectContaining({ code: 'DELINQUENT' })] });
    // Return: to a seeded department, with a seeded agent responsible (both ids are checked).
    const r = await ok(app, 'POST', '/v1/returns', returnBody('question', { departmentId: 'suporte', responsibleUserId: 'bruno' }));
    expect(r).toMatchObject({ departmentId: 'suporte', responsibleUserId: 'bruno' });
  });

  it('leaves a database that has a department alone', async () => {
    const other = await startPonte('embedded');
    try {
      await ok(other.app, 'PUT', '/v1/departments/financeiro', { name: 'Financeiro', systems: [] });
      expect(await seedDemo(other.deps)).toBe(false);
      expect((await ok(other.app, 'GET', '/v1/departments')).items.map((d: { id: string }) => d.id)).toEqual(['financeiro']);
    } finally {
      await other.close();
    }
  }, 120_000);
});
