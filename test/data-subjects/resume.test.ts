// An erasure works in batches and resumes where the last committed batch stopped: a job that
// dies in the middle, run again, finishes the work once (no row counted twice, none left).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPonte, auth, type Ponte } from '../support/ponte.js';
import type { Deps } from '../../src/deps.js';
import { insertMessages } from '../../src/store/chats.js';
import { BATCH } from '../../src/data-subjects/engine.js';
import { runErasure } from '../../src/data-subjects/erasures.js';
import { ok } from './flow.js';

const MESSAGES = BATCH + 50;

describe('a resumable erasure (postgres)', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', { workers: false });
    await ok(p, 'PUT', '/v1/departments/support', { name: 'Suporte', systems: [] }, 'admin');
  }, 60_000);
  afterAll(() => p?.close());

  it('goes on after a crash from the batch it stopped at', async () => {
    const chat = await ok(p, 'POST', '/v1/chats', { client: { name: 'Lia Campos', email: 'lia@resume.example' }, departmentId: 'support' });
    await insertMessages(p.deps.db, chat.id, Array.from({ length: MESSAGES }, (_, i) => ({ sender: 'client' as const, authorName: 'Lia Campos', text: `mensagem ${i} de lia@resume.example` })));
    const res = await p.app.inject({ method: 'POST', url: '/v1/admin/data-subjects/erase', headers: auth('admin'), payload: { match: { email: 'lia@resume.example' }, mode: 'anonymize', confirm: true } });
    expect(res.statusCode).toBe(202);
    const id = res.json().id as string;

    // The process dies once the first batch of messages has committed, before the second one does.
    const progress = async () => (await p.deps.db.query('SELECT status, progress, cursor FROM data_subject_erasures WHERE id = $1', [id])).rows[0]!;
    const dying: Deps = {
      ...p.deps,
      db: { ...p.deps.db, tx: async (fn) => ((await progress()).progress.messages?.cleaned ? Promise.reject(new Error('killed')) : p.deps.db.tx(fn)) },
    };
    await expect(runErasure(dying, id)).rejects.toThrow('killed');
    const midway = await progress();
    expect(midway).toMatchObject({ status: 'running', progress: { messages: { cleaned: BATCH } } });
    expect(midway.cursor).not.toBeNull();

    const done = await runErasure(p.deps, id);
    expect(done.status).toBe('done');
    expect(done.progress.messages!.cleaned).toBe(MESSAGES);
    const left = (await p.deps.db.query("SELECT count(*)::int AS n FROM messages WHERE text <> '[anonimizado]' OR author_name ILIKE '%lia%'")).rows[0]!.n;
    expect(left).toBe(0);
    expect((await runErasure(p.deps, id)).finished_at).toEqual(done.finished_at);
  });
});
