// The built-in sandbox ERP (BIMER_URL unset) keeps its records in DATA_DIR: after a restart it
// still knows the cases it created and never gives a process number twice.

import { describe, it, expect, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startPonte, auth, eventually, freshDatabase, tempDir, type Ponte } from '../support/ponte.js';
import { session } from '../support/fixtures.js';

async function integrate(p: Ponte): Promise<string> {
  const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() });
  expect(res.statusCode).toBe(202);
  const id = res.json().integrations[0].id as string;
  return eventually(async () => {
    const r = await p.app.inject({ method: 'GET', url: `/v1/integrations/${id}`, headers: auth('helpdesk') });
    const view = r.json() as { status: string; erpProcessNumber: string | null };
    return view.status === 'succeeded' ? view.erpProcessNumber : undefined;
  }, 'the integration to succeed');
}

describe('the built-in sandbox ERP across a restart', () => {
  const data = tempDir();
  afterAll(() => data.remove());

  it('keeps its cases on disk in DATA_DIR and never repeats a process number', async () => {
    const databaseUrl = await freshDatabase();
    const first = await startPonte('postgres', { dataDir: data.dir, databaseUrl });
    const before = [await integrate(first), await integrate(first)];
    await first.close();
    expect(existsSync(path.join(data.dir, 'sandbox', 'bimer.json'))).toBe(true);

    const second = await startPonte('postgres', { dataDir: data.dir, databaseUrl });
    try {
      const after = await integrate(second);
      expect(before).not.toContain(after);
      expect(Number(after)).toBeGreaterThan(Math.max(...before.map(Number)));
      // The case created before the restart is still in the ERP: the form reads it by number.
      const chats = await second.deps.db.query<{ chat_id: string }>('SELECT chat_id FROM integrations WHERE erp_process_number = $1', [after]);
      const form = await second.app.inject({ method: 'GET', url: `/v1/chats/${chats.rows[0]!.chat_id}/integration-form?processNumber=${before[0]}`, headers: auth('helpdesk') });
      expect(form.statusCode).toBe(200);
      expect(form.json().process).toMatchObject({ number: before[0] });
    } finally {
      await second.close();
    }
  }, 90_000);
});
