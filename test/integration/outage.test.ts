import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { integrationRetryHorizonMs } from '../../src/jobs/backoff.js';
import { loadConfig } from '../../src/config.js';

async function postSessions(p: Ponte, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() });
    expect(res.statusCode).toBe(202);
    ids.push(res.json().integrations[0].id);
  }
  return ids;
}

const rowsOf = async (p: Ponte, ids: string[]) =>
  (await p.deps.db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM integrations WHERE id = ANY($1::uuid[])', [ids])).rows;
const outcomes = async (p: Ponte, ids: string[]) =>
  (await p.deps.db.query<{ outcome: string }>('SELECT outcome FROM integration_attempts WHERE integration_id = ANY($1::uuid[])', [ids])).rows.map((r) => r.outcome);
const casesPer = (erp: BimerSandbox, ids: string[]) => ids.map((id) => erp.state.cases.filter((c) => c.ReferenciaExterna === id).length);

describe('the retry schedule', () => {
  it('keeps an integration alive through at least 24 hours of failing ERP calls with the defaults', () => {
    const config = loadConfig({});
    expect(integrationRetryHorizonMs(config.jobAttempts, config.jobBackoffMs, config.jobRetryScale)).toBeGreaterThan(24 * 3600_000);
  });
});

describe.each(['redis', 'postgres'] as const)('ERP outages are absorbed, %s', (mode) => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    // Three attempts only (50 ms apart): an outage that kept spending attempts would leave every integration dead.
    p = await startPonte(mode, { env: { ...s.env, JOB_ATTEMPTS: '3', ERP_PROBE_MS: '250', ERP_OUTAGE_FAILURES: '2' } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it('an ERP that cannot be reached holds the queue and probes, spending no attempts; all succeed once it is back', async () => {
    erp.faults.inject({ path: '/', times: 1_000_000, action: { type: 'reset' } });
    const ids = await postSessions(p, 6);
    await eventually(async () => (await outcomes(p, ids)).includes('held'), 'a run held while the ERP is down');
    // Held, the rows wait as accepted with at most the attempts spent before the hold.
    await eventually(async () => (await rowsOf(p, ids)).every((r) => (r.status === 'pending' || r.status === 'running') && r.attempts < 3), 'every row waiting with attempts left');
    // Held, the writes wait: only probes reach the ERP, a handful per interval, not one per job and retry.
    const before = erp.faults.pending()[0]!.times!;
    await new Promise((r) => setTimeout(r, 1500));
    expect(before - erp.faults.pending()[0]!.times!).toBeLessThan(30);
    // Nothing ended meanwhile (a row is `running` only for the moment its run awaits the probe).
    expect((await rowsOf(p, ids)).filter((r) => r.status !== 'pending' && r.status !== 'running')).toEqual([]);
    erp.faults.clear();
    await eventually(async () => (await rowsOf(p, ids)).every((r) => r.status === 'succeeded'), 'every integration to succeed', 30_000);
    expect(casesPer(erp, ids)).toEqual(Array(6).fill(1));
    expect(await outcomes(p, ids)).not.toContain('dead');
  });
});

describe('a slow ERP (every call timing out for a while) is no outage', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    // Probing at the first failure would hold at once if time-outs counted.
    p = await startPonte('redis', { env: { ...s.env, BIMER_TIMEOUT_MS: '300', JOB_ATTEMPTS: '25', JOB_BACKOFF_MS: '1000', JOB_RETRY_SCALE: '0.0001', ERP_PROBE_MS: '60000', ERP_OUTAGE_FAILURES: '1' } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it('never holds the queue: the jobs retry on their schedule and succeed once the ERP is fast again', async () => {
    erp.faults.inject({ path: '/', times: 12, action: { type: 'delay', ms: 600 } });
    const ids = await postSessions(p, 4);
    await eventually(async () => erp.faults.pending().length === 0, 'the slow spell to be used up', 30_000);
    // A held queue would wait ERP_PROBE_MS (a minute) before the next run; these finish well before.
    await eventually(async () => (await rowsOf(p, ids)).every((r) => r.status === 'succeeded'), 'every integration to succeed', 30_000);
    const seen = await outcomes(p, ids);
    expect(seen).toContain('retrying');
    expect(seen).not.toContain('held');
    expect(casesPer(erp, ids)).toEqual(Array(4).fill(1));
  }, 90_000);
});

describe('an ERP failing every write for longer than the old retry budget (redis, schedule compressed)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    // The default schedule (25 attempts, 1 s doubling up to 3 h: about 34 h) at 1/2000: about a minute.
    p = await startPonte('redis', { env: { ...s.env, JOB_ATTEMPTS: '25', JOB_BACKOFF_MS: '1000', JOB_RETRY_SCALE: '0.0005' } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it('ends with every integration succeeded, none dead, one ERP case each', async () => {
    // Every create fails with 503 for 6 s: the
    // old default budget (8 attempts from 1 s: about 2 min) compressed alike would be 64 ms.
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 1_000_000, action: { type: 'status', status: 503 } });
    const ids = await postSessions(p, 5);
    await new Promise((r) => setTimeout(r, 6000));
    expect((await rowsOf(p, ids)).filter((r) => r.status === 'dead')).toEqual([]);
    erp.faults.clear();
    await eventually(async () => (await rowsOf(p, ids)).every((r) => r.status === 'succeeded'), 'every integration to succeed', 60_000);
    expect(Math.min(...(await rowsOf(p, ids)).map((r) => r.attempts))).toBeGreaterThan(8);
    expect(casesPer(erp, ids)).toEqual(Array(5).fill(1));
    // Its reads answered all along: an ERP that answers is never held for.
    expect(await outcomes(p, ids)).not.toContain('held');
  });
});
