import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte, type Mode } from '../support/ponte.js';
import { sandbox } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { insertChat, insertIntegrations } from './rows.js';

// Embedded mode runs a smaller batch: pglite-socket interleaves the extended-protocol
// messages of concurrent connections outside transactions, so thousands of concurrent jobs
// on PGlite can corrupt queries (reported; the server modes carry the 1,000-row run).
const CASES: Array<[Mode, number]> = [['redis', 1000], ['postgres', 1000], ['embedded', 50]];

describe.each(CASES)('bulk replay by filter, %s mode (%i rows)', (mode, ROWS) => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte(mode, { env: { ...s.env, ERP_MAX_CONCURRENT: mode === 'embedded' ? '4' : '50' } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  const count = async (where: string) => Number((await p.deps.db.query<{ n: string }>(`SELECT count(*) AS n FROM integrations WHERE ${where}`)).rows[0]!.n);

  it('queues every matching failed integration in one request, and they drain to the ERP', async () => {
    const chatId = await insertChat(p.deps.db);
    const ids = await insertIntegrations(p.deps.db, { count: ROWS, chatId, status: 'failed', errorCode: 'UNKNOWN_PRODUCT' });
    await insertIntegrations(p.deps.db, { count: 20, chatId, status: 'failed', errorCode: 'LOOKUP_MISMATCH' });
    await insertIntegrations(p.deps.db, { count: 10, chatId, status: 'succeeded', errorCode: null });

    const res = await p.app.inject({
      method: 'POST',
      url: '/v1/admin/integrations/replay',
      headers: auth('admin'),
      payload: { filter: { status: 'failed', errorCode: 'UNKNOWN_PRODUCT', chatId } },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().queued).toBe(ROWS);
    // One job on the admin queue, not a thousand in the request.
    const { rows } = await p.deps.db.query("SELECT job_id FROM outbox WHERE queue = 'admin'");
    expect(rows).toEqual([{ job_id: res.json().jobId }]);

    await eventually(async () => (await count("status = 'failed' AND error_code = 'UNKNOWN_PRODUCT'")) === 0, 'every row to leave failed', 60_000);
    await eventually(async () => (await count(`status = 'succeeded' AND replays = 1`)) === ROWS, 'every replayed row to succeed', 90_000);
    const refs = new Set(erp.state.cases.map((c) => c.ReferenciaExterna));
    expect(ids.every((id) => refs.has(id))).toBe(true);
    expect(await count("status = 'failed' AND error_code = 'LOOKUP_MISMATCH' AND replays = 0")).toBe(20);

    const audit = await p.app.inject({ method: 'GET', url: '/v1/admin/audit?action=integrations.bulk_replay_queued', headers: auth('admin') });
    expect(audit.json().items).toEqual([expect.objectContaining({ actor: 'admin', targetId: res.json().jobId, changes: { filter: { status: ['failed'], errorCode: 'UNKNOWN_PRODUCT', chatId }, queued: ROWS } })]);
    const perRow = await p.deps.db.query("SELECT count(*) AS n FROM audit_events WHERE action = 'integration.replayed' AND changes->>'bulkJobId' = $1", [res.json().jobId]);
    expect(Number(perRow.rows[0]!.n)).toBe(ROWS);
    // Each row's line tells what it was replayed from; its job is the row's next run.
    const line = await p.app.inject({ method: 'GET', url: `/v1/admin/audit?action=integration.replayed&targetId=${ids[0]}`, headers: auth('admin') });
    expect(line.json().items).toEqual([expect.objectContaining({ actor: 'admin', changes: { fromStatus: 'failed', replay: 1, lastError: 'UNKNOWN_PRODUCT', bulkJobId: res.json().jobId } })]);
    const job = await p.deps.db.query<{ name: string; payload: { integrationId: string } }>('SELECT name, payload FROM outbox WHERE job_id = $1', [`${ids[0]}-r1`]);
    expect(job.rows).toEqual([{ name: 'run', payload: expect.objectContaining({ integrationId: ids[0] }) }]);
  }, 180_000);

  it('refuses a filter naming a status that cannot be replayed', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/v1/admin/integrations/replay', headers: auth('admin'), payload: { filter: { status: ['failed', 'succeeded'] } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'filter.status', message: expect.stringContaining('succeeded cannot be replayed') }]);
  });
});
