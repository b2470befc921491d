import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Job } from 'bullmq';
import { startPonte, auth, type Ponte } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import { integrationProcessor, type IntegrationJob } from '../../src/integration/worker.js';
import { ErpOutage } from '../../src/integration/outage.js';
import { QUEUES } from '../../src/jobs/queues.js';
import { createLogger } from '../../src/log.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

// BullMQ gives a job back when its lock is not renewed in time (an event loop or Redis stalled
// past STALLED_INTERVAL_MS) while its run is still in flight; the same process may get it again.
describe('two runs of one integration job in one process', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('redis', { env: s.env, workers: false });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it('run one after the other: the second finds what the first did and the ERP gets one case', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() });
    const id: string = res.json().integrations[0].id;
    // The first run's create is still at the ERP when the second run starts.
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 1, action: { type: 'delay', ms: 400 } });
    const log = createLogger('silent');
    const outage = new ErpOutage(() => p.deps.connector.listResponsibilityCenters(), () => p.deps.jobs.queue(QUEUES.integrations), { probeMs: 1000, failuresBeforeProbe: 5 }, log);
    const processor = integrationProcessor(p.deps, log, outage);
    const job = { id, data: { integrationId: id }, attemptsMade: 0, opts: { attempts: 3 } } as unknown as Job<IntegrationJob>;
    const numbers = await Promise.all([processor(job), processor(job)]);
    expect(erp.state.cases.filter((c) => c.ReferenciaExterna === id)).toHaveLength(1);
    expect(numbers[1]).toBe(numbers[0]);
    const { rows } = await p.deps.db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM integrations WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'succeeded', attempts: 1 });
  });
});
