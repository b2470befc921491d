import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

describe('rate limiting per API key', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('redis', { workers: false, env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } });
  });
  afterAll(async () => {
    await p.close();
  });

  it('answers 429 in the error shape once a key used its window, without touching other keys', async () => {
    const url = '/v1/integrations/00000000-0000-4000-8000-000000000000';
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await p.app.inject({ url, headers: auth('helpdesk') })).statusCode);
    expect(codes).toEqual([404, 404, 404, 429]);
    const limited = await p.app.inject({ url, headers: auth('helpdesk') });
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect((await p.app.inject({ url, headers: auth('admin') })).statusCode).toBe(404);
  });
});

describe('cap on ERP calls (BullMQ limiter)', () => {
  let p: Ponte;
  let erp: { sandbox: BimerSandbox; env: Record<string, string> };
  beforeAll(async () => {
    erp = await sandbox();
    p = await startPonte('redis', { env: { ...erp.env, ERP_RATE_PER_SECOND: '2', ERP_MAX_CONCURRENT: '1' } });
  });
  afterAll(async () => {
    await p.close();
    await erp.sandbox.close();
  });

  it('spreads integration jobs to ERP_RATE_PER_SECOND and still delivers everything', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() })).json().integrations[0].id);
    await eventually(async () => {
      const { rows } = await p.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM integrations WHERE id = ANY($1::uuid[]) AND status = 'succeeded'", [ids]);
      return rows[0]!.n === 6;
    }, 'all six to succeed');
    const { rows } = await p.deps.db.query<{ first: Date; last: Date }>('SELECT min(started_at) AS first, max(started_at) AS last FROM integration_attempts WHERE integration_id = ANY($1::uuid[])', [ids]);
    // Six jobs at two per second take three windows: the last starts at least a second after the
    // first, however long the first one's own start took (a new database connection, a busy machine).
    expect(rows[0]!.last.getTime() - rows[0]!.first.getTime()).toBeGreaterThanOrEqual(1000);
  });
});
