import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte, type Mode } from '../support/ponte.js';
import { integrationRequest, sandbox, session, SEED } from '../support/fixtures.js';
import { startWorkers, type Workers } from '../../src/jobs/workers.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

const MAIN_MODES: Mode[] = ['embedded', 'redis'];

describe.each(MAIN_MODES)('replaying a failed integration, %s mode', (mode) => {
  let p: Ponte;
  let erp: BimerSandbox;
  let workers: Workers | undefined;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    // No lookup cache: the test removes a product from the ERP between accept and run.
    p = await startPonte(mode, { env: { ...s.env, LOOKUP_CACHE_TTL_MS: '0', JOB_ATTEMPTS: '3' }, workers: false });
  });
  afterAll(async () => {
    await workers?.close(2000);
    await p.close();
    await erp.close();
  });

  const detail = async (id: string) => (await p.app.inject({ method: 'GET', url: `/v1/admin/integrations/${id}`, headers: auth('admin') })).json();
  const replay = (id: string, payload: object) => p.app.inject({ method: 'POST', url: `/v1/admin/integrations/${id}/replay`, headers: auth('admin'), payload });

  it('a patch naming a product the ERP knows turns an unknown-product failure into an ERP case', async () => {
    const posted = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session({ integrations: [integrationRequest({ productId: SEED.products.payroll })] }) });
    expect(posted.statusCode, posted.body).toBe(202);
    const id: string = posted.json().integrations[0].id;
    // The ERP drops the product after ponte accepted the request: the worker fails it for good.
    erp.state.products = erp.state.products.filter((x) => x.Identificador !== SEED.products.payroll);
    workers = startWorkers(p.deps);
    const failed = await eventually(async () => {
      const d = await detail(id);
      return d.status === 'failed' ? d : undefined;
    }, 'the integration to fail');
    expect(failed.lastError).toMatchObject({ code: 'UNKNOWN_PRODUCT', retryable: false });
    // The permanent failure ends the attempts; only a transient one (a time-out on a loaded machine) may precede it.
    const firstRun = failed.attemptsLog as Array<{ outcome: string; error: { code: string } | null }>;
    expect(firstRun.at(-1)).toMatchObject({ outcome: 'failed', error: { code: 'UNKNOWN_PRODUCT' } });
    expect(firstRun.slice(0, -1).every((a) => a.outcome === 'retrying' || a.outcome === 'held')).toBe(true);

    const unknown = await replay(id, { patch: { productId: '00A9999999' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.map((d: { path: string }) => d.path)).toContain('patch.productId');
    const broken = await replay(id, { patch: { closeCase: false, subject: '' } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.details.map((d: { path: string }) => d.path)).toEqual(['patch.subject']);
    const rules = await replay(id, { patch: { closeCase: false, productId: SEED.products.erp } });
    expect(rules.json().error.details.map((d: { path: string }) => d.path)).toEqual(['patch.responsibilityCenterId']);
    expect((await detail(id)).status).toBe('failed');

    const accepted = await replay(id, { patch: { productId: SEED.products.erp } });
    expect(accepted.statusCode, accepted.body).toBe(202);
    expect(accepted.json()).toMatchObject({ status: 'pending', attempts: 0, replays: 1, lastError: null });
    expect(accepted.json().request.productId).toBe(SEED.products.erp);

    const done = await eventually(async () => {
      const d = await detail(id);
      return d.status === 'succeeded' ? d : undefined;
    }, 'the replayed integration to succeed');
    const log = done.attemptsLog as Array<{ replay: number; attempt: number; outcome: string; error: { code: string } | null; exchanges: unknown[]; durationMs: number }>;
    expect(log.slice(0, firstRun.length).map((a) => [a.replay, a.outcome])).toEqual(firstRun.map((a) => [0, a.outcome]));
    expect(log[firstRun.length - 1]!.error!.code).toBe('UNKNOWN_PRODUCT');
    const replayed = log.slice(firstRun.length);
    expect(replayed.every((a) => a.replay === 1)).toBe(true);
    expect(replayed.at(-1)).toMatchObject({ outcome: 'succeeded' });
    expect(replayed.at(-1)!.exchanges.length).toBeGreaterThan(0);
    expect(replayed.at(-1)!.durationMs).toBeGreaterThanOrEqual(0);
    const erpCase = erp.state.cases.find((c) => c.ReferenciaExterna === id);
    expect(erpCase).toMatchObject({ Numero: done.erpProcessNumber, IdentificadorProduto: SEED.products.erp });

    const actions = done.audit.map((a: { action: string; actor: string }) => [a.action, a.actor]);
    expect(actions).toEqual([['integration.replayed', 'admin'], ['integration.patched', 'admin']]);
    expect(done.audit[1].changes).toEqual({ productId: { from: SEED.products.payroll, to: SEED.products.erp } });

    const again = await replay(id, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'NOT_REPLAYABLE', details: [{ path: 'status', message: 'is succeeded' }] });
  });

  it('a dead integration is replayed as it was once the ERP is back', async () => {
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 100, action: { type: 'status', status: 503 } });
    const posted = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() });
    const id: string = posted.json().integrations[0].id;
    const dead = await eventually(async () => {
      const d = await detail(id);
      return d.status === 'dead' ? d : undefined;
    }, 'the integration to die after its last attempt');
    expect(dead.lastError.retryable).toBe(true);
    erp.faults.clear();
    expect((await replay(id, {})).statusCode).toBe(202);
    const done = await eventually(async () => {
      const d = await detail(id);
      return d.status === 'succeeded' ? d : undefined;
    }, 'the replayed integration to succeed');
    const attempts = done.attemptsLog as Array<{ replay: number; outcome: string }>;
    expect(attempts.filter((a) => a.replay === 0).map((a) => a.outcome).at(-1)).toBe('dead');
    expect(attempts.filter((a) => a.replay === 1).map((a) => a.outcome)).toEqual(['succeeded']);
  });
});
