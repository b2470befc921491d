import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, freshDatabase, eventually, type Ponte } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import { startPostgres, startRedis, type RestartableService } from '../support/services.js';
import { allSucceeded, casesPerIntegration, postSessions, statuses, SCALE } from './drill-kit.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import pg from 'pg';

describe('drill: Redis stops while sessions are posted', () => {
  it('posts are still accepted (outbox) and all are delivered once Redis is back', async () => {
    const redis = await startRedis();
    const erp = await sandbox();
    const p = await startPonte('postgres', { databaseUrl: await freshDatabase(), env: { ...erp.env, REDIS_URL: redis.url, OUTBOX_SWEEP_MS: '300' } });
    try {
      const before = await postSessions(p, 5);
      await allSucceeded(p, before);
      await redis.halt();
      const during = await postSessions(p, 20 * SCALE);
      expect((await statuses(p, during)).pending).toBe(during.length);
      await redis.start();
      await allSucceeded(p, [...before, ...during], 90_000);
      expect(casesPerIntegration(erp.sandbox, [...before, ...during]).every((n) => n === 1)).toBe(true);
    } finally {
      await p.close();
      await erp.sandbox.close();
      await redis.stop();
    }
  }, 150_000);
});

describe('drill: PostgreSQL stops', () => {
  let server: RestartableService;
  let p: Ponte;
  let erp: { sandbox: BimerSandbox; env: Record<string, string> };
  beforeAll(async () => {
    server = await startPostgres();
    erp = await sandbox();
    const url = new URL(server.url);
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE drill');
    await admin.end();
    url.pathname = '/drill';
    p = await startPonte('redis', { databaseUrl: url.toString(), env: erp.env });
  }, 60_000);
  afterAll(async () => {
    await p.close();
    await erp.sandbox.close();
    await server.stop();
  });

  it('answers 503 with a clear error, writes nothing half, and recovers without a restart', async () => {
    await server.halt();
    const body = session();
    const down = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body });
    expect(down.statusCode).toBe(503);
    expect(down.json().error).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect((await p.app.inject('/ready')).statusCode).toBe(503);
    await server.start();
    await eventually(async () => (await p.app.inject('/ready')).statusCode === 200, 'ready again', 30_000);
    const { rows } = await p.deps.db.query('SELECT count(*)::int AS n FROM chats WHERE external_id = $1', [body.externalId]);
    expect(rows[0]!.n).toBe(0);
    const again = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body });
    expect(again.statusCode).toBe(202);
    await allSucceeded(p, [again.json().integrations[0].id]);
  }, 90_000);
});

describe('drill: the ERP is down for a while, then slow', () => {
  let p: Ponte;
  let erp: { sandbox: BimerSandbox; env: Record<string, string> };
  beforeAll(async () => {
    erp = await sandbox();
    p = await startPonte('redis', { env: { ...erp.env, JOB_ATTEMPTS: '10', JOB_BACKOFF_MS: '100' } });
  });
  afterAll(async () => {
    await p.close();
    await erp.sandbox.close();
  });

  it('holds the queue while the ERP is down, creates no duplicates, and delivers all after recovery', async () => {
    erp.sandbox.faults.inject({ path: '/api/', times: 60 * SCALE, action: { type: 'reset' } });
    const ids = await postSessions(p, 15 * SCALE);
    await eventually(async () => erp.sandbox.faults.pending().length === 0, 'the outage to be used up', 60_000);
    await allSucceeded(p, ids, 90_000);
    expect(casesPerIntegration(erp.sandbox, ids).every((n) => n === 1)).toBe(true);
    const { rows } = await p.deps.db.query<{ outcome: string; n: number }>('SELECT outcome, count(*)::int AS n FROM integration_attempts WHERE integration_id = ANY($1::uuid[]) GROUP BY outcome', [ids]);
    const counted = Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
    // Once ERP_OUTAGE_FAILURES calls in a row failed (the API's accept-time lookups count too), a probe confirms and the queue is held.
    expect(counted.held ?? 0, JSON.stringify(counted)).toBeGreaterThan(0);
    expect(counted.dead).toBeUndefined();
  }, 150_000);

  it('a slow ERP answer (time-outs) does not starve the other jobs', async () => {
    // The next creates hang far beyond BIMER_TIMEOUT_MS; the jobs holding them time out and retry.
    erp.sandbox.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 3, action: { type: 'delay', ms: 5000 } });
    const slow = await postSessions(p, 3);
    const others = await postSessions(p, 20);
    await allSucceeded(p, [...slow, ...others], 60_000);
    const timedOut = await p.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM integration_attempts WHERE integration_id = ANY($1::uuid[]) AND error_code = 'ERP_TIMEOUT'", [[...slow, ...others]]);
    // The three delayed creates time out; on a loaded machine another call may too (and is retried like them).
    expect(timedOut.rows[0]!.n).toBeGreaterThanOrEqual(3);
    expect(casesPerIntegration(erp.sandbox, [...slow, ...others]).every((n) => n === 1)).toBe(true);
  }, 150_000);
});
