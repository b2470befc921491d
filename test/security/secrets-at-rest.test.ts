// No secret at rest in clear: after a full flow (API keys seeded and created, returns with
// portal links created, rotated, resent and cloned, mails sent, webhook subscriptions with
// given and generated secrets delivering, all with Idempotency-Keys), a scan of every table
// of the database — ponte's and BullMQ's — finds no portal token, API key secret or webhook
// secret. Rotating PONTE_SECRET_KEY re-seals what the old key sealed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startPonte, auth, eventually, KEYS, SECRET_KEY, type Ponte } from '../support/ponte.js';
import { returnBody, seedReturnTeam } from '../returns/fixtures.js';
import { startSmtpSink, type SmtpSink } from '../mail/smtp-sink.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { newSecret } from '../erp-events/support.js';

/** Every text of every row of every table, as PostgreSQL prints the row. */
async function everyRow(p: Ponte): Promise<string> {
  const { rows: tables } = await p.deps.db.query<{ schema: string; name: string }>(
    "SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')",
  );
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['api_keys', 'idempotency_keys', 'mail_messages', 'webhook_subscriptions', 'returns', 'audit_events']));
  const texts: string[] = [];
  for (const t of tables) {
    const { rows } = await p.deps.db.query<{ row: string }>(`SELECT t::text AS row FROM "${t.schema}"."${t.name}" t`);
    texts.push(...rows.map((r) => `${t.schema}.${t.name} ${r.row}`));
  }
  return texts.join('\n');
}

describe('secrets at rest', () => {
  let p: Ponte;
  let smtp: SmtpSink;
  let receiver: Receiver;
  const secrets: Record<string, string> = {};
  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await startReceiver();
    p = await startPonte('postgres', { env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://ponte.example', PONTE_WEBHOOK_ALLOW_PRIVATE: 'true' } });
    await seedReturnTeam(p.app);
  }, 120_000);
  afterAll(async () => {
    await p?.close();
    await smtp?.close();
    await receiver?.close();
  });

  const post = async (url: string, payload: unknown, headers: Record<string, string> = auth('admin')) => {
    const res = await p.app.inject({ method: 'POST', url, payload: payload as object, headers: { ...headers, 'idempotency-key': randomUUID() } });
    expect(res.statusCode, `${url} ${res.body}`).toBeLessThan(300);
    return res.json();
  };

  it('leaves no portal token, API key secret or webhook secret in clear in any row', async () => {
    Object.assign(secrets, KEYS);
    secrets.createdKey = (await post('/v1/admin/keys', { name: 'scanned', roles: ['helpdesk'] })).secret;
    const given = newSecret();
    secrets.givenWebhook = given;
    secrets.givenWebhookBytes = given.slice('whsec_'.length);
    await post('/v1/webhooks', { url: receiver.url, events: ['return.answered'], secret: given });
    const generated = (await post('/v1/webhooks', { url: receiver.url, events: ['return.answered'] })).secret as string;
    secrets.generatedWebhook = generated;
    secrets.generatedWebhookBytes = generated.slice('whsec_'.length);

    const r = await post('/v1/returns', returnBody('question', { clientEmail: 'scan@cliente.example' }), auth('helpdesk'));
    secrets.created = r.portalToken;
    const rotated = await post(`/v1/returns/${r.id}/portal-token/rotate`, undefined, auth('helpdesk'));
    secrets.rotated = rotated.portalToken;
    await post(`/v1/returns/${r.id}/resend`, undefined, auth('helpdesk'));
    const clone = await post(`/v1/returns/${r.id}/clone`, { confirm: true }, auth('helpdesk'));
    secrets.clone = clone.portalToken;
    await eventually(async () => smtp.to('scan@cliente.example').length >= 3, 'the notices of the return, its resend and its clone');
    const resent = smtp.to('scan@cliente.example').map((m) => /token=([A-Za-z0-9_-]+)/.exec(m.mail.text ?? '')?.[1]).filter(Boolean) as string[];
    expect(resent.length).toBeGreaterThanOrEqual(3);
    resent.forEach((token, i) => (secrets[`mailed${i}`] = token));

    // The client answers with the link it got by e-mail: a webhook goes out, signed.
    const latest = resent.find((t) => t !== secrets.created && t !== secrets.rotated && t !== secrets.clone)!;
    await post(`/v1/portal/returns/${r.id}/answer?token=${latest}`, { text: 'Resposta do cliente' }, {});
    await eventually(async () => receiver.requests.length >= 2, 'both webhook deliveries');
    expect(receiver.requests.some((q) => { try { new Webhook(generated).verify(q.body, q.headers); return true; } catch { return false; } })).toBe(true);
    await eventually(async () => {
      const { rows } = await p.deps.db.query("SELECT count(*)::int AS n FROM mail_messages WHERE status = 'queued' OR secret_link IS NOT NULL");
      return rows[0]!.n === 0;
    }, 'every mail sent and its sealed link dropped');

    const dump = await everyRow(p);
    const found = Object.entries(secrets).filter(([, value]) => dump.includes(value) || dump.includes(encodeURIComponent(value)));
    expect(found.map(([name]) => name)).toEqual([]);
  }, 180_000);
});

describe('rotating PONTE_SECRET_KEY', () => {
  it('re-seals with the new key at start while PONTE_SECRET_KEY_PREVIOUS opens the old values', async () => {
    const receiver = await startReceiver();
    const first = await startPonte('postgres', { workers: false, env: { PONTE_WEBHOOK_ALLOW_PRIVATE: 'true' } });
    const databaseUrl = first.config.databaseUrl!;
    const created = await first.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth('admin'), payload: { url: receiver.url, events: ['return.answered'] } });
    const secret = created.json().secret as string;
    const before = (await first.deps.db.query('SELECT secret FROM webhook_subscriptions')).rows[0]!.secret as string;
    await first.close();

    const next = Buffer.alloc(32, 42).toString('base64');
    const second = await startPonte('postgres', { databaseUrl, workers: false, env: { PONTE_SECRET_KEY: next, PONTE_SECRET_KEY_PREVIOUS: SECRET_KEY } });
    try {
      const after = (await second.deps.db.query('SELECT secret FROM webhook_subscriptions')).rows[0]!.secret as string;
      expect(after).not.toBe(before);
      expect(after).not.toContain(secret);
      expect(second.deps.keyring.isStale(after)).toBe(false);
      expect(second.deps.keyring.open(after)).toBe(secret);
    } finally {
      await second.close();
      await receiver.close();
    }
  }, 180_000);
});
