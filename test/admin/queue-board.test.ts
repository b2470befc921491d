// The queue board is made at its first request and answers through ponte's own routes: its page
// and static files arrive whole with their types, its API reads the queues, and a change made
// through it (pausing a queue) reaches the queue itself.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startPonte, type Ponte } from '../support/ponte.js';
import { QUEUES } from '../../src/jobs/queues.js';

describe('the queue board at /admin/queues', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', { workers: false, relay: false });
  });
  afterAll(() => p.close());

  it('serves its page and the files the page names', async () => {
    const page = await p.app.inject({ url: '/admin/queues', headers: auth('admin') });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    // Its files are named relative to <base href="/admin/queues/">.
    expect(page.body).toContain('<base href="/admin/queues/"');
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const file = await p.app.inject({ url: `/admin/queues/${script!}`, headers: auth('admin') });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/javascript/);
    expect(Number(file.headers['content-length'])).toBe(file.rawPayload.length);
    expect(file.rawPayload.length).toBeGreaterThan(1000);
  });

  it('pauses and resumes a queue through its API', async () => {
    const queue = p.deps.jobs.queue(QUEUES.mail);
    const pause = await p.app.inject({ method: 'PUT', url: `/admin/queues/api/queues/${encodeURIComponent(queue.name)}/pause`, headers: auth('admin') });
    expect(pause.statusCode).toBe(200);
    expect(await queue.isPaused()).toBe(true);
    const resume = await p.app.inject({ method: 'PUT', url: `/admin/queues/api/queues/${encodeURIComponent(queue.name)}/resume`, headers: auth('admin') });
    expect(resume.statusCode).toBe(200);
    expect(await queue.isPaused()).toBe(false);
  });

  it('answers 404 for what the board does not have, still behind the key check', async () => {
    expect((await p.app.inject({ url: '/admin/queues/api/nothing-here' })).statusCode).toBe(401);
    expect((await p.app.inject({ url: '/admin/queues/api/nothing-here', headers: auth('admin') })).statusCode).toBe(404);
  });
});
