// Anonymization keeps what statistics need — the same rows, counts, ERP numbers and integration
// outcomes — with the person's identities replaced by stable placeholders (embedded PGlite).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { SEED, sandbox } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { newSecret } from '../erp-events/support.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { CHATWOOT_ENV, liveThrough, needles, ok, scanDatabase, scanUploads, seedTeam, type Client, type Lived } from './flow.js';

const erpSecret = newSecret();
const joana: Client = { name: 'Joana Prado Vieira', email: 'joana.vieira@anon.example', phone: '(31) 3555-7788', taxId: '529.982.247-25', clientCode: SEED.clients.person, productId: SEED.products.crm };

const TABLES = ['chats', 'helpdesk_deliveries', 'messages', 'returns', 'return_timeline', 'integrations', 'integration_attempts', 'mail_messages', 'webhook_deliveries', 'audit_events'];

describe('data-subject anonymization (embedded)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let receiver: Receiver;
  let lived: Lived;

  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    receiver = await startReceiver();
    p = await startPonte('embedded', { env: { ...s.env, AGENTS_CAN_CLOSE: 'true', PONTE_WEBHOOK_ALLOW_PRIVATE: 'true', PONTE_ERP_SECRETS: erpSecret, ...CHATWOOT_ENV } });
    await seedTeam(p, receiver.url);
    lived = await liveThrough(p, joana, erpSecret);
  }, 300_000);

  afterAll(async () => {
    await p?.close();
    await erp?.close();
    await receiver?.close();
  });

  const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, (await p.deps.db.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n])));

  it('keeps every row, count and ERP number and leaves placeholders only', async () => {
    const before = await counts();
    const numbers = (await p.deps.db.query('SELECT id, status, erp_process_number FROM integrations ORDER BY id')).rows;
    const res = await p.app.inject({
      method: 'POST', url: '/v1/admin/data-subjects/erase', headers: auth('admin'),
      payload: { match: { taxId: '52998224725' }, mode: 'anonymize', confirm: true },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ mode: 'anonymize', status: 'queued' });
    const done = await eventually(async () => {
      const e = await ok(p, 'GET', `/v1/admin/data-subjects/erasures/${res.json().id}`, undefined, 'admin');
      return e.status === 'done' ? e : undefined;
    }, 'the anonymization done', 60_000);
    expect(done.touched.chats.cleaned).toBe(3);

    // The same rows, plus the request's own two audit lines (asked, done).
    expect(await counts()).toEqual({ ...before, audit_events: before.audit_events + 2 });
    expect((await p.deps.db.query('SELECT id, status, erp_process_number FROM integrations ORDER BY id')).rows).toEqual(numbers);
    expect((await scanDatabase(p, needles(joana))).filter((h) => h.schema === 'public')).toEqual([]);
    expect(await scanUploads(p, needles(joana))).toEqual([]);

    const chat = await ok(p, 'GET', `/v1/chats/${lived.chat}`);
    const token = chat.client.name.replace('Titular ', '');
    expect(chat.client).toMatchObject({ name: `Titular ${token}`, email: `titular-${token}@anonimizado.invalid`, phone: '[telefone removido]', taxId: '[CPF/CNPJ removido]' });
    const ret = await ok(p, 'GET', `/v1/returns/${lived.returnId}`);
    expect(ret).toMatchObject({ clientEmail: `titular-${token}@anonimizado.invalid`, contactPerson: `Titular ${token}`, description: '[anonimizado]', subject: '[anonimizado]' });
    // A subject is free text typed about the person: it goes whole, not only the identifiers in it.
    expect(chat.subject).toBe('[anonimizado]');
    expect((await ok(p, 'GET', `/v1/chats/${lived.chat}/attachments`)).items).toEqual([]);
  }, 120_000);
});
