import { describe, it, expect } from 'vitest';
import { openStore, type StoreKind } from '../support/stores.js';
import { migrate } from '../../src/store/migrate.js';
import { tempDir } from '../support/ponte.js';

const KINDS: StoreKind[] = ['pglite', 'postgres'];

describe.each(KINDS)('store on %s', (kind) => {
  it('applies every migration once, with BullMQ schema beside ponte tables', async () => {
    // A data dir of its own: a first start from nothing, not the run's migrated template.
    const fresh = tempDir();
    const store = await openStore(kind, fresh.dir);
    try {
      const again = await migrate(store.db, { bullmq: true });
      expect(again.applied).toEqual([]);
      const { rows } = await store.db.query<{ table_name: string; table_schema: string }>(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('public', 'bullmq')",
      );
      const names = rows.map((r) => `${r.table_schema}.${r.table_name}`);
      for (const t of ['chats', 'messages', 'integrations', 'integration_attempts', 'audit_events', 'api_keys', 'outbox']) expect(names).toContain(`public.${t}`);
      expect(names.some((n) => n.startsWith('bullmq.'))).toBe(true);
    } finally {
      await store.close();
      fresh.remove();
    }
  }, 120_000);

  it('rolls a failed transaction back completely', async () => {
    const store = await openStore(kind);
    try {
      await expect(
        store.db.tx(async (q) => {
          await q.query("INSERT INTO audit_events (actor, action, target_type, target_id) VALUES ('t', 'a', 'x', '1')");
          await q.query('SELECT * FROM no_such_table');
        }),
      ).rejects.toThrow();
      const { rows } = await store.db.query('SELECT count(*)::int AS n FROM audit_events');
      expect(rows[0]!.n).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('serializes concurrent transactions without losing writes', async () => {
    const store = await openStore(kind);
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.db.tx(async (q) => {
            await q.query("INSERT INTO audit_events (actor, action, target_type, target_id) VALUES ('t', 'a', 'x', $1)", [String(i)]);
            await q.query("INSERT INTO audit_events (actor, action, target_type, target_id) VALUES ('t', 'b', 'x', $1)", [String(i)]);
          }),
        ),
      );
      const { rows } = await store.db.query('SELECT count(*)::int AS n FROM audit_events');
      expect(rows[0]!.n).toBe(40);
    } finally {
      await store.close();
    }
  });
});

describe('embedded store', () => {
  it('keeps its data across a restart on the same data dir', async () => {
    const tmp = tempDir();
    try {
      const first = await openStore('pglite', tmp.dir);
      await first.db.query("INSERT INTO audit_events (actor, action, target_type, target_id) VALUES ('t', 'kept', 'x', '1')");
      await first.close();
      const second = await openStore('pglite', tmp.dir);
      const { rows } = await second.db.query("SELECT action FROM audit_events WHERE action = 'kept'");
      await second.close();
      expect(rows).toHaveLength(1);
    } finally {
      tmp.remove();
    }
  });
});
