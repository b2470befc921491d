// Probes a platform team can trust: /health is liveness only; /ready is "can take work" (store
// and job backend) and stays 200 while the ERP is down, saying `degraded` in its body and in
// /metrics — an orchestrator must not take every pod out during an ERP outage.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

describe('probes', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  const ready = async () => {
    const res = await p.app.inject('/ready');
    return { status: res.statusCode, body: res.json() };
  };
  const erpUp = async () => /^ponte_erp_up\{connector="bimer"\} (\d)$/m.exec((await p.app.inject({ url: '/metrics', headers: auth('admin') })).body)?.[1];

  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('postgres', { env: { ...s.env, JOB_ATTEMPTS: '20' } });
  });
  afterAll(async () => {
    await p?.close();
    await erp?.close();
  });

  it('/health answers without a key and says only that the process is alive', async () => {
    const res = await p.app.inject('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/ready checks the store and the job backend, and reports the ERP as up', async () => {
    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ready', mode: { store: 'postgresql', jobs: 'postgres', connector: 'bimer' }, checks: { store: { ok: true }, jobs: { ok: true } }, erp: { state: 'up', error: null } });
    expect(await erpUp()).toBe('1');
  });

  it('stays 200 with `degraded` while the ERP is down, keeps taking work, and is `ready` again once the ERP answers', async () => {
    erp.faults.inject({ path: '/', times: 10_000, action: { type: 'status', status: 503 } });
    const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() });
    expect(res.statusCode).toBe(202);
    const id = res.json().integrations[0].id as string;

    const down = await eventually(async () => {
      const r = await ready();
      return r.body.status === 'degraded' ? r : undefined;
    }, '/ready to say degraded');
    expect(down.status).toBe(200);
    expect(down.body.checks).toEqual({ store: { ok: true }, jobs: { ok: true } });
    expect(down.body.erp).toMatchObject({ state: 'degraded', error: expect.stringContaining('ERP_UNAVAILABLE') });
    expect(await erpUp()).toBe('0');
    // Intake goes on during the outage: the outbox keeps the work.
    expect((await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() })).statusCode).toBe(202);

    erp.faults.clear();
    await eventually(async () => (await p.app.inject({ url: `/v1/integrations/${id}`, headers: auth('helpdesk') })).json().status === 'succeeded', 'the integration to go through once the ERP is back');
    const back = await ready();
    expect(back).toMatchObject({ status: 200, body: { status: 'ready', erp: { state: 'up', error: null } } });
    expect(await erpUp()).toBe('1');
  });

  it('describes both probes as public in the OpenAPI document', async () => {
    const doc = (await p.app.inject('/docs/json')).json();
    for (const path of ['/health', '/ready']) {
      expect(doc.paths[path].get.security, path).toEqual([]);
      expect(Object.keys(doc.paths[path].get.responses), path).toContain('200');
    }
    expect(Object.keys(doc.paths['/ready'].get.responses)).toContain('503');
  });
});
