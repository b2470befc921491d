// Drill: the ERP is stopped for a long outage (first unreachable, then a maintenance front
// answering 503 to every call) while the helpdesk keeps posting. The default attempts and
// schedule are kept, only compressed by JOB_RETRY_SCALE=0.0001: the ~34 h horizon becomes about
// 12 s and the old ~2 min budget about 13 ms, so the 16 s outage stands for some 44 hours, longer
// than even the new schedule; only the hold (no attempt spent while the ERP is down) carries the
// integrations through. Counted afterwards: 0 dead, 0 duplicates, 0 stranded.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox } from '../support/fixtures.js';
import { allSucceeded, casesPerIntegration, postSessions, statuses, SCALE } from './drill-kit.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

const OUTAGE_MS = 16_000 * SCALE;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Phase = 'unreachable' | 'maintenance' | 'up';

describe.each(['redis', 'postgres'] as const)('drill: the ERP is down for a long outage, %s', (mode) => {
  let p: Ponte;
  let erp: { sandbox: BimerSandbox; env: Record<string, string> };
  let phase: Phase = 'up';
  // A fault rule per phase, matching every ERP request while its phase lasts.
  const during = (which: Phase) => ({ test: () => phase === which }) as unknown as RegExp;
  beforeAll(async () => {
    erp = await sandbox();
    p = await startPonte(mode, { env: { ...erp.env, JOB_ATTEMPTS: '25', JOB_RETRY_SCALE: '0.0001', JOB_BACKOFF_MS: '1000', ERP_PROBE_MS: '500' } });
    erp.sandbox.faults.inject({ path: during('unreachable'), times: Number.MAX_SAFE_INTEGER, action: { type: 'reset' } });
    erp.sandbox.faults.inject({ path: during('maintenance'), times: Number.MAX_SAFE_INTEGER, action: { type: 'status', status: 503 } });
  });
  afterAll(async () => {
    await p.close();
    await erp.sandbox.close();
  });

  it('holds every integration through the outage and delivers each exactly once afterwards', async () => {
    const before = await postSessions(p, 5);
    await allSucceeded(p, before);

    phase = 'unreachable';
    const posted = await postSessions(p, 8 * SCALE);
    await sleep(OUTAGE_MS / 2);
    phase = 'maintenance';
    posted.push(...(await postSessions(p, 8 * SCALE)));
    await sleep(OUTAGE_MS / 2);
    // Nothing reached the ERP and nothing gave up while it was down.
    expect(casesPerIntegration(erp.sandbox, posted).every((n) => n === 0)).toBe(true);
    expect(Object.keys(await statuses(p, posted)).filter((s) => s !== 'pending' && s !== 'running')).toEqual([]);
    // It was held, not ridden on retries: runs were held and the attempts spent stayed few.
    const held = await p.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM integration_attempts WHERE integration_id = ANY($1::uuid[]) AND outcome = 'held'", [posted]);
    expect(held.rows[0]!.n).toBeGreaterThan(0);
    phase = 'up';

    const all = [...before, ...posted];
    await allSucceeded(p, all, 90_000);
    expect(await statuses(p, all)).toEqual({ succeeded: all.length });
    // 0 duplicates: each integration is exactly one ERP case.
    expect(casesPerIntegration(erp.sandbox, all).filter((n) => n !== 1)).toEqual([]);
    // 0 dead: no attempt of any integration ended dead.
    const dead = await p.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM integration_attempts WHERE integration_id = ANY($1::uuid[]) AND outcome = 'dead'", [all]);
    expect(dead.rows[0]!.n).toBe(0);
    // 0 stranded: no row unfinished, nothing left in the outbox.
    const unfinished = await p.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM integrations WHERE status IN ('pending', 'running')");
    expect(unfinished.rows[0]!.n).toBe(0);
    await eventually(async () => {
      const metrics = await p.app.inject({ method: 'GET', url: '/metrics', headers: auth('admin') });
      return /^ponte_outbox_backlog 0$/m.test(metrics.body);
    }, 'an empty outbox');
  }, 120_000);
});
