import { describe, it, expect } from 'vitest';
import { startPonte, auth, eventually } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import { startWorkers } from '../../src/jobs/workers.js';

describe('a cancelled integration', () => {
  it('is never run, even when its job is already queued', async () => {
    const erp = await sandbox();
    const p = await startPonte('redis', { workers: false, env: erp.env });
    try {
      const posted = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() });
      const id = posted.json().integrations[0].id;
      await p.deps.relay.flush();
      expect((await p.app.inject({ method: 'POST', url: `/v1/admin/integrations/${id}/cancel`, headers: auth('admin') })).statusCode).toBe(200);
      const workers = startWorkers(p.deps);
      // Polled, not awaited through the queue's events: a job finished before the event reader
      // starts would never be reported.
      await eventually(async () => {
        const state = await (await p.deps.jobs.queue('integrations').getJob(id))?.getState();
        return state === 'completed' || state === 'failed' ? state : undefined;
      }, 'the queued job of the cancelled integration to finish');
      await workers.close(1000);
      const row = (await p.app.inject({ url: `/v1/integrations/${id}`, headers: auth('helpdesk') })).json();
      expect(row).toMatchObject({ status: 'cancelled', attempts: 0 });
      expect(erp.sandbox.state.cases.filter((c) => c.ReferenciaExterna === id)).toHaveLength(0);
    } finally {
      await p.close();
      await erp.sandbox.close();
    }
  });
});
