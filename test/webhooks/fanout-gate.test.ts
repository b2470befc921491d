// An event nobody can receive queues no fan-out job; a subscription to its type (even disabled,
// whose deliveries are kept for replay) or a helpdesk conversation waiting for a note does.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/store/db.js';
import { emitEvent, type EventType } from '../../src/events/emit.js';
import { deleteSubscription, insertSubscription } from '../../src/webhooks/store.js';
import { openStore } from '../support/stores.js';

describe('fan-out only for events someone receives', () => {
  let store: Awaited<ReturnType<typeof openStore>>;
  let db: Db;

  beforeAll(async () => {
    store = await openStore('postgres');
    db = store.db;
  }, 120_000);
  afterAll(async () => {
    await store.close();
  });

  async function fanoutQueued(type: EventType, data: Record<string, unknown> = {}): Promise<boolean> {
    const event = await db.tx((q) => emitEvent(q, type, data));
    const { rows } = await db.query("SELECT count(*)::int AS n FROM outbox WHERE name = 'fanout' AND job_id = $1", [event.id]);
    return rows[0]!.n === 1;
  }

  const subscribe = (events: string[]) => db.tx((q) => insertSubscription(q, { url: 'https://hooks.example.com/ponte', events, secret: 'whsec_test', createdBy: 'test' }));

  async function helpdeskChat(): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO chats (status, department_id, client, client_code) VALUES ('closed', 'suporte', $1, '1001') RETURNING id`,
      [JSON.stringify({ name: 'Cliente Teste' })],
    );
    await db.query(`INSERT INTO helpdesk_conversations (chat_id, helpdesk, conversation) VALUES ($1, 'chatwoot', '{"id": "7"}')`, [rows[0]!.id]);
    return rows[0]!.id;
  }

  it('queues nothing while no subscription listens to the type, then one job per event', async () => {
    expect(await fanoutQueued('return.answered')).toBe(false);
    const other = await subscribe(['chat.closed']);
    expect(await fanoutQueued('return.answered')).toBe(false);
    expect(await fanoutQueued('chat.closed')).toBe(true);
    await db.tx((q) => deleteSubscription(q, other.id));
    expect(await fanoutQueued('chat.closed')).toBe(false);
  });

  it('still queues for a disabled subscription, whose deliveries are kept as cancelled', async () => {
    const sub = await subscribe(['client.delinquency.changed']);
    await db.query(`UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = 'test' WHERE id = $1`, [sub.id]);
    expect(await fanoutQueued('client.delinquency.changed', { clientCode: '1001' })).toBe(true);
    await db.tx((q) => deleteSubscription(q, sub.id));
  });

  it('queues an integration outcome without subscribers when its chat came from a helpdesk (its note)', async () => {
    const chatId = await helpdeskChat();
    for (const type of ['integration.succeeded', 'integration.failed', 'integration.dead'] as const) {
      expect(await fanoutQueued(type, { integrationId: randomUUID(), chatId })).toBe(true);
    }
    expect(await fanoutQueued('integration.succeeded', { integrationId: randomUUID(), chatId: randomUUID() })).toBe(false);
    expect(await fanoutQueued('integration.failed', { integrationId: randomUUID(), chatId: null })).toBe(false);
    // A chat from a helpdesk gets notes only for integration outcomes.
    expect(await fanoutQueued('chat.closed', { chatId })).toBe(false);
  });
});
