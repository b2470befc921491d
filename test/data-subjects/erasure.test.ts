// Data-subject rights end to end: one client lives through every feature, then is found,
// exported, and erased (or anonymized); afterwards no table and no file holds their e-mail,
// name, phone or CPF, another client's data is untouched, and ERP numbers and integration
// outcomes remain.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { SEED, sandbox } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { newSecret } from '../erp-events/support.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { CHATWOOT_ENV, liveThrough, needles, ok, scanDatabase, scanUploads, seedTeam, type Client, type Lived } from './flow.js';

const erpSecret = newSecret();
const maria: Client = { name: 'Maria da Silva', email: 'Maria.Silva@titular.example', phone: '+55 (21) 98877-6655', taxId: '529.982.247-25', clientCode: SEED.clients.person, productId: SEED.products.crm };
const pedro: Client = { name: 'Pedro Albuquerque', email: 'pedro@padaria.example', phone: '+55 11 3333-4444', taxId: '11.222.333/0001-81', clientCode: SEED.clients.company, productId: SEED.products.erp };

describe.each(['postgres', 'redis'] as const)('data-subject find, export and erase (%s)', (mode) => {
  let p: Ponte;
  let erp: BimerSandbox;
  let receiver: Receiver;
  let lived: Lived;
  let other: Lived;

  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    receiver = await startReceiver();
    p = await startPonte(mode, { env: { ...s.env, AGENTS_CAN_CLOSE: 'true', PONTE_WEBHOOK_ALLOW_PRIVATE: 'true', PONTE_ERP_SECRETS: erpSecret, ...CHATWOOT_ENV } });
    await seedTeam(p, receiver.url);
    lived = await liveThrough(p, maria, erpSecret);
    other = await liveThrough(p, pedro, erpSecret);
  }, 300_000);

  afterAll(async () => {
    await p?.close();
    await erp?.close();
    await receiver?.close();
  });

  it('finds the client everywhere their data was copied, counted by kind', async () => {
    const found = await ok(p, 'GET', `/v1/admin/data-subjects?email=${encodeURIComponent(maria.email)}`, undefined, 'admin');
    expect(found.match.emails).toEqual([maria.email.toLowerCase()]);
    expect(found.counts).toMatchObject({ chats: 3, returns: 1, attachments: 1, integrations: 4 });
    for (const kind of ['messages', 'timelineEntries', 'mail', 'attempts', 'webhookDeliveries', 'auditEntries']) expect(found.counts[kind], kind).toBeGreaterThan(0);
    expect(found.erpRecords.map((r: { erpProcessNumber: string }) => r.erpProcessNumber)).toContain(SEED.openProcess);

    // The same person by CPF (any punctuation) or by phone (with or without +55).
    const byTax = await ok(p, 'GET', '/v1/admin/data-subjects?taxId=52998224725', undefined, 'admin');
    expect(byTax.counts.chats).toBe(3);
    const byPhone = await ok(p, 'GET', `/v1/admin/data-subjects?phone=${encodeURIComponent('21 98877 6655')}`, undefined, 'admin');
    expect(byPhone.counts.chats).toBe(3);
  });

  it('refuses a find without any identifier, or with a malformed one, naming the field', async () => {
    const none = await p.app.inject({ method: 'GET', url: '/v1/admin/data-subjects', headers: auth('admin') });
    expect(none.statusCode).toBe(400);
    const bad = await p.app.inject({ method: 'GET', url: '/v1/admin/data-subjects?taxId=123456789012345', headers: auth('admin') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('taxId');
    const helpdesk = await p.app.inject({ method: 'GET', url: `/v1/admin/data-subjects?email=${maria.email}`, headers: auth('helpdesk') });
    expect(helpdesk.statusCode).toBe(403);
  });

  it('exports every row the scan finds, and the files through their links', async () => {
    const hits = await scanDatabase(p, needles(maria));
    expect(hits.length).toBeGreaterThan(10);
    const doc = await ok(p, 'GET', `/v1/admin/data-subjects/export?email=${encodeURIComponent(maria.email)}&clientCode=34`, undefined, 'admin');
    const text = JSON.stringify(doc).toLowerCase();
    const exportedIds = new Set(Object.values(doc.items as Record<string, Array<{ id: unknown }>>).flat().map((i) => String(i.id)));
    const missing = hits.filter((h) => h.schema === 'public' && !exportedIds.has(h.id));
    expect(missing).toEqual([]);
    for (const n of new Set(hits.map((h) => h.needle))) expect(text).toContain(n.toLowerCase());
    const file = doc.items.attachments.find((a: { id: string }) => a.id === lived.attachment);
    const download = await p.app.inject({ method: 'GET', url: file.href, headers: auth('admin') });
    expect(download.statusCode).toBe(200);
    expect(download.body).toContain(maria.taxId);
  }, 60_000);

  it('erases the client: nothing left in any table or file, the other client untouched, ERP numbers and outcomes kept', async () => {
    // The live-event backlog (BullMQ's event stream) is dropped whole by an erasure: compare ponte's tables.
    const publicHits = async (c: Client) => (await scanDatabase(p, needles(c))).filter((h) => h.schema === 'public');
    const otherBefore = await publicHits(pedro);
    expect(otherBefore.length).toBeGreaterThan(10);
    const res = await p.app.inject({
      method: 'POST', url: '/v1/admin/data-subjects/erase', headers: auth('admin'),
      payload: { match: { email: maria.email, clientCode: '34' }, mode: 'erase', confirm: true },
    });
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json();
    const done = await eventually(async () => {
      const e = await ok(p, 'GET', `/v1/admin/data-subjects/erasures/${id}`, undefined, 'admin');
      return e.status === 'done' ? e : undefined;
    }, 'the erasure done', 60_000);
    expect(done.touched.chats.deleted).toBe(3);
    expect(done.touched.helpdesk_deliveries.deleted).toBe(1);
    expect(done.touched.returns.deleted).toBe(1);
    // Each of the four integrations find counts for her (the return's opinion too) counted once, though its chat reference went first.
    expect(done.touched.integrations.cleaned).toBe(4);
    expect(done.progress.filesRemoved).toBe(1);
    expect(done.erpRecords.map((r: { erpProcessNumber: string }) => r.erpProcessNumber)).toContain(SEED.openProcess);

    expect(await scanDatabase(p, needles(maria))).toEqual([]);
    expect(await scanUploads(p, needles(maria))).toEqual([]);

    const outcomes = (await p.deps.db.query('SELECT status, erp_process_number FROM integrations WHERE id = ANY($1::uuid[])', [lived.integrations])).rows;
    expect(outcomes).toHaveLength(3);
    expect(outcomes.every((o) => o.status === 'succeeded' && /^\d{8}$/.test(o.erp_process_number))).toBe(true);

    expect(await publicHits(pedro)).toEqual(otherBefore);
    expect((await ok(p, 'GET', `/v1/chats/${other.chat}`)).client).toMatchObject({ name: pedro.name, email: pedro.email });
    const found = await ok(p, 'GET', `/v1/admin/data-subjects?email=${encodeURIComponent(maria.email)}`, undefined, 'admin');
    expect(found.total).toBe(0);
  }, 90_000);

  it('answers the same erasure again with nothing left to do', async () => {
    const res = await p.app.inject({
      method: 'POST', url: '/v1/admin/data-subjects/erase', headers: auth('admin'),
      payload: { match: { email: maria.email }, mode: 'erase', confirm: true },
    });
    expect(res.statusCode).toBe(202);
    const done = await eventually(async () => {
      const e = await ok(p, 'GET', `/v1/admin/data-subjects/erasures/${res.json().id}`, undefined, 'admin');
      return e.status === 'done' ? e : undefined;
    }, 'the second erasure done');
    const deleted = Object.values(done.touched as Record<string, { deleted: number }>).reduce((n, t) => n + t.deleted, 0);
    expect(deleted).toBe(0);
    const refused = await p.app.inject({
      method: 'POST', url: '/v1/admin/data-subjects/erase', headers: auth('admin'),
      payload: { match: { email: maria.email }, mode: 'erase' },
    });
    expect(refused.statusCode).toBe(400);
  });
});
