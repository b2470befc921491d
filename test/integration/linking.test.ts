import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { integrationRequest, sandbox, session, SEED } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { scratchSets, type ScratchSets } from '../support/mapping-sets.js';

async function postSession(p: Ponte, body: Record<string, unknown>) {
  return p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body });
}

interface View { status: string; attempts: number; erpProcessNumber: string; notifiedAt: string | null }

async function settled(p: Ponte, id: string, status = 'succeeded'): Promise<View> {
  return eventually(async () => {
    const view = (await p.app.inject({ method: 'GET', url: `/v1/integrations/${id}`, headers: auth('helpdesk') })).json() as View;
    return view.status === status ? view : undefined;
  }, `integration ${id} ${status}`);
}

describe('linking a chat to an existing ERP process (redis)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('redis', { env: { ...s.env, JOB_ATTEMPTS: '4' } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  const processOf = (number: string) => erp.state.cases.find((c) => c.Numero === number)!;

  it('applies the integration\'s priority and next contact to the process, and adds its opinion once', async () => {
    const opinionsBefore = processOf(SEED.openProcess).Pareceres.length;
    const casesBefore = erp.state.cases.length;
    const linked = integrationRequest({
      processNumber: SEED.openProcess, closeCase: false, responsibilityCenterId: undefined, priority: true,
      nextContact: { userId: SEED.users.carla, date: '2031-01-15' },
    });
    // The first update is lost after the ERP applied it: the retry applies it again, adds no second opinion.
    erp.faults.inject({ method: 'PATCH', path: `/api/crm/atendimentos/${SEED.openProcess}`, times: 1, action: { type: 'crash-after-create', then: 'reset' } });
    const res = await postSession(p, session({ integrations: [linked] }));
    expect(res.statusCode).toBe(202);
    const done = await settled(p, res.json().integrations[0].id);
    expect(done.erpProcessNumber).toBe(SEED.openProcess);
    expect(processOf(SEED.openProcess)).toMatchObject({ Situacao: 'ABERTO', Prioritario: true, IdentificadorUsuarioProximoContato: SEED.users.carla, DataProximoContato: '2031-01-15' });
    expect(processOf(SEED.openProcess).Pareceres).toHaveLength(opinionsBefore + 1);
    expect(erp.state.cases).toHaveLength(casesBefore);
  });

  it('closes the process with the responsibility center when the integration closes the case', async () => {
    const number = erp.state.cases.find((c) => c.Situacao === 'ABERTO')!.Numero;
    const res = await postSession(p, session({ integrations: [integrationRequest({ processNumber: number })] }));
    await settled(p, res.json().integrations[0].id);
    expect(processOf(number)).toMatchObject({ Situacao: 'ENCERRADO', IdentificadorCentroResponsabilidade: SEED.centers.support });
  });

  it('notifies the recipients once even when the ERP\'s answer to the notification is lost', async () => {
    erp.faults.inject({ method: 'POST', path: /\/notificacoes$/, times: 1, action: { type: 'crash-after-create', then: 'reset' } });
    const res = await postSession(p, session({ integrations: [integrationRequest({ notify: { spySystemLogins: ['ana.souza'], emails: ['gestor@empresa.com.br'] } })] }));
    const done = await settled(p, res.json().integrations[0].id);
    expect(done.attempts).toBe(2);
    expect(done.notifiedAt).not.toBeNull();
    expect(processOf(done.erpProcessNumber).Notificacoes).toHaveLength(1);
  });
});

describe('linking with a connector that cannot apply a field (redis)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let sets: ScratchSets;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    // A deployment whose mapping set has no way to set priority on an existing process says so in its connector.json.
    sets = await scratchSets('bimer');
    await sets.editJson('bimer', 'connector.json', (j) => (j.cannotApply = { updateProcess: ['priority'] }));
    p = await startPonte('redis', { env: { ...s.env, ERP_MAPPINGS_DIR: sets.dir } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
    await sets.remove();
  });

  it('refuses at accept with a 400 naming priority, and writes nothing', async () => {
    const body = session({ integrations: [integrationRequest({ processNumber: SEED.openProcess, closeCase: false, responsibilityCenterId: undefined, priority: true })] });
    const res = await postSession(p, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'integrations[0].priority', message: expect.stringContaining('cannot apply priority to an existing process') }]);
    const { rows } = await p.deps.db.query('SELECT count(*)::int AS n FROM chats WHERE external_id = $1', [body.externalId]);
    expect(rows[0]!.n).toBe(0);
    const without = await postSession(p, session({ integrations: [integrationRequest({ processNumber: SEED.openProcess, closeCase: false, responsibilityCenterId: undefined })] }));
    expect(without.statusCode).toBe(202);
  });
});
