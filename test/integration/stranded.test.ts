import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte, type Mode } from '../support/ponte.js';
import { integrationRequest, sandbox, session } from '../support/fixtures.js';
import { startWorkers, type Workers } from '../../src/jobs/workers.js';
import { QUEUES } from '../../src/jobs/queues.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

async function postSession(p: Ponte, body: Record<string, unknown> = session()) {
  const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body });
  expect(res.statusCode).toBe(202);
  return res.json() as { chatId: string; integrations: Array<{ id: string }> };
}

const view = async (p: Ponte, id: string) => (await p.app.inject({ method: 'GET', url: `/v1/admin/integrations/${id}`, headers: auth('admin') })).json();
const until = (p: Ponte, id: string, status: string) => eventually(async () => ((await view(p, id)).status === status ? view(p, id) : undefined), `${id} ${status}`, 30_000);
const casesOf = (erp: BimerSandbox, id: string) => erp.state.cases.filter((c) => c.ReferenciaExterna === id).length;
const dispatched = (p: Ponte, id: string) => eventually(async () => (await p.deps.db.query('SELECT 1 FROM outbox WHERE job_id = $1 AND dispatched_at IS NOT NULL', [id])).rows.length > 0, 'the job dispatched');

describe.each(['redis', 'postgres'] as Mode[])('no row left behind, %s', (mode) => {
  let p: Ponte;
  let erp: BimerSandbox;
  let workers: Workers | undefined;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    // Workers start inside the tests: first the job must be lost, or stall, with nobody running it.
    p = await startPonte(mode, { env: s.env, workers: false });
  });
  afterAll(async () => {
    await workers?.close(2000);
    await p.close();
    await erp.close();
  });

  it('a job deleted from the backend behind ponte\'s back is dispatched again and succeeds once', async () => {
    const { integrations: [only] } = await postSession(p);
    await dispatched(p, only!.id);
    const queue = p.deps.jobs.queue(QUEUES.integrations);
    await (await queue.getJob(only!.id))!.remove();
    expect(await queue.getJobState(only!.id)).toBe('unknown');
    // The sweep (OUTBOX_SWEEP_MS) sees a pending row without a job and adds it again.
    await eventually(async () => (await queue.getJobState(only!.id)) !== 'unknown', 'the job back in the backend');
    workers = startWorkers(p.deps);
    const done = await until(p, only!.id, 'succeeded');
    expect(done.attempts).toBe(1);
    expect(casesOf(erp, only!.id)).toBe(1);
  });

  it('four stalls during one job end it dead with WORKER_LOST; a replay then succeeds once', async () => {
    await workers?.close(2000);
    workers = undefined;
    const { integrations: [only] } = await postSession(p);
    await dispatched(p, only!.id);
    for (let crash = 1; crash <= 4; crash++) {
      // A worker takes the job and dies with it (its lock is never renewed again).
      let took = false;
      const doomed = p.deps.jobs.worker(QUEUES.integrations, async () => {
        took = true;
        await new Promise(() => undefined);
      }, { concurrency: 1 });
      // Each next worker's stalled-job check gives the job back (a stall), then it takes it.
      await eventually(async () => took, `worker ${crash} to take the job`);
      await doomed.close(true);
    }
    workers = startWorkers(p.deps);
    const lost = await until(p, only!.id, 'dead');
    expect(lost.lastError).toMatchObject({ code: 'WORKER_LOST', retryable: true });
    expect(casesOf(erp, only!.id)).toBe(0);

    const replay = await p.app.inject({ method: 'POST', url: `/v1/admin/integrations/${only!.id}/replay`, headers: auth('admin') });
    expect(replay.statusCode).toBe(202);
    const done = await until(p, only!.id, 'succeeded');
    expect(done.replays).toBe(1);
    expect(casesOf(erp, only!.id)).toBe(1);
  }, 90_000);
});

describe('admins and unfinished rows (redis)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('redis', { env: { ...s.env, OUTBOX_SWEEP_MS: '600000' }, workers: false });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it('replay or cancel an unfinished row only once its job is gone', async () => {
    const { integrations: [a] } = await postSession(p);
    const { integrations: [b] } = await postSession(p);
    await dispatched(p, a!.id);
    await dispatched(p, b!.id);
    const early = await p.app.inject({ method: 'POST', url: `/v1/admin/integrations/${a!.id}/replay`, headers: auth('admin') });
    expect([early.statusCode, early.json().error.code]).toEqual([409, 'NOT_REPLAYABLE']);
    expect(early.json().error.message).toContain('still queued or running');

    const queue = p.deps.jobs.queue(QUEUES.integrations);
    await p.deps.db.query("UPDATE integrations SET status = 'running' WHERE id = $1", [b!.id]);
    for (const id of [a!.id, b!.id]) await (await queue.getJob(id))!.remove();
    const replayed = await p.app.inject({ method: 'POST', url: `/v1/admin/integrations/${a!.id}/replay`, headers: auth('admin') });
    expect(replayed.statusCode).toBe(202);
    expect(replayed.json()).toMatchObject({ status: 'pending', replays: 1 });
    const cancelled = await p.app.inject({ method: 'POST', url: `/v1/admin/integrations/${b!.id}/cancel`, headers: auth('admin') });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
  });
});

describe('replay re-checks the creation rules against the chat\'s other integrations (redis)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('redis', { env: s.env });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it('a cancelled non-multiple integration cannot be replayed next to the one that replaced it, alone or in bulk', async () => {
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 1, action: { type: 'validation', field: 'Assunto', message: 'Assunto inválido' } });
    const { chatId, integrations: [first] } = await postSession(p);
    await until(p, first!.id, 'failed');
    expect((await p.app.inject({ method: 'POST', url: `/v1/admin/integrations/${first!.id}/cancel`, headers: auth('admin') })).statusCode).toBe(200);
    const second = await p.app.inject({ method: 'POST', url: `/v1/chats/${chatId}/integrations`, headers: auth('helpdesk'), payload: integrationRequest() });
    expect(second.statusCode).toBe(202);
    await until(p, second.json().id, 'succeeded');

    const replay = await p.app.inject({ method: 'POST', url: `/v1/admin/integrations/${first!.id}/replay`, headers: auth('admin') });
    expect(replay.statusCode).toBe(409);
    expect(replay.json().error).toMatchObject({ code: 'INTEGRATION_RULES', details: [{ path: 'request.multiple' }] });

    const bulk = await p.app.inject({ method: 'POST', url: '/v1/admin/integrations/replay', headers: auth('admin'), payload: { filter: { status: 'cancelled', chatId } } });
    expect(bulk.json().queued).toBe(1);
    await eventually(async () => (await p.deps.db.query("SELECT 1 FROM audit_events WHERE action = 'integration.replay_refused' AND target_id = $1", [first!.id])).rows.length === 1, 'the refusal audited');
    expect((await view(p, first!.id)).status).toBe('cancelled');
    expect(erp.state.cases.filter((c) => c.ReferenciaExterna === first!.id || c.ReferenciaExterna === second.json().id)).toHaveLength(1);
  });
});
