import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { startWorkers, type Workers } from '../../src/jobs/workers.js';
import { QUEUES } from '../../src/jobs/queues.js';
import { conversationMessages, signChatwoot, statusChanged } from './chatwoot-fixtures.js';
import { startHelpdeskStub, type HelpdeskStub } from './stub.js';
import { chatMessages, deliveries, postInbound } from './support.js';

const SECRET = 'chatwoot-secret-for-replays';

describe('a delivery whose message-list job was lost is replayed by an admin', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let stub: HelpdeskStub;
  let workers: Workers | undefined;
  const replay = (id: string, key: 'admin' | 'helpdesk' = 'admin') => p.app.inject({ method: 'POST', url: `/v1/admin/helpdesk-deliveries/${id}/replay`, headers: auth(key) });

  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    stub = await startHelpdeskStub('chatwoot');
    // No workers yet: the delivery's job waits in the backend, as it would behind a busy worker.
    p = await startPonte('postgres', { workers: false, env: { ...s.env, CHATWOOT_WEBHOOK_SECRET: SECRET, CHATWOOT_URL: stub.url, CHATWOOT_API_TOKEN: stub.token } });
  }, 120_000);
  afterAll(async () => {
    await workers?.close(2000);
    await p.close();
    await erp.close();
    await stub.close();
  });

  it('is refused while its job waits, replayed once the job is gone, and then written with every message', async () => {
    const id = 7100;
    stub.conversations.set(String(id), conversationMessages(id, 5));
    const raw = JSON.stringify(statusChanged({ id }));
    const posted = await postInbound(p, 'chatwoot', raw, signChatwoot(SECRET, raw, Math.floor(p.deps.clock.now().getTime() / 1000)));
    expect(posted.statusCode).toBe(202);
    const delivery = (await deliveries(p, 'chatwoot')).find((d) => d.deliveryId === posted.json().deliveryId)!;
    expect(delivery).toMatchObject({ status: 'completing', replays: 0 });

    const queue = p.deps.jobs.queue(QUEUES.helpdesks);
    const job = await eventually(async () => queue.getJob(`complete-${delivery.id}`), 'the complete job in the backend');
    const waiting = await replay(delivery.id);
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json().error.code).toBe('DELIVERY_IN_PROGRESS');

    // The backend loses the job (Redis restarted without persistence): the row would wait forever.
    await job.remove();
    expect((await replay(delivery.id, 'helpdesk')).statusCode).toBe(403);
    const replayed = await replay(delivery.id);
    expect(replayed.statusCode).toBe(202);
    expect(replayed.json()).toMatchObject({ id: delivery.id, status: 'completing', replays: 1 });
    const again = await replay(delivery.id);
    expect(again.json().error.code).toBe('DELIVERY_IN_PROGRESS');

    workers = startWorkers(p.deps);
    const done = await eventually(async () => (await deliveries(p, 'chatwoot')).find((d) => d.id === delivery.id && d.status === 'ingested'), 'the replayed delivery ingested');
    expect(done.completionError).toBeNull();
    expect((await chatMessages(p, done.chatId!)).map((l) => l.text)).toEqual(conversationMessages(id, 5).map((m) => m.content));

    const finished = await replay(delivery.id);
    expect(finished.statusCode).toBe(409);
    expect(finished.json().error.code).toBe('DELIVERY_FINISHED');
    const { rows } = await p.deps.db.query<{ actor: string; changes: { replay: number; previousJob: string } }>("SELECT actor, changes FROM audit_events WHERE action = 'helpdesk.delivery.replayed' AND target_id = $1", [delivery.id]);
    expect(rows).toEqual([{ actor: expect.any(String), changes: { replay: 1, previousJob: 'missing' } }]);
  }, 120_000);

  it('an unknown delivery is 404', async () => {
    const res = await replay('00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
  });
});
