// The operational series a platform team alerts on: integration attempts by outcome and error
// code, ERP call durations by operation, webhook deliveries by outcome, e-mails by outcome.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import { sample } from '../support/metrics.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { startSmtpSink, type SmtpSink } from '../mail/smtp-sink.js';
import { returnBody, seedReturnTeam } from '../returns/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

describe('metrics of outcomes', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let receiver: Receiver;
  let smtp: SmtpSink;
  const scrape = async () => (await p.app.inject({ url: '/metrics', headers: auth('admin') })).body;
  const status = async (id: string) => (await p.app.inject({ url: `/v1/integrations/${id}`, headers: auth('helpdesk') })).json().status;
  const post = async () => (await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() })).json().integrations[0].id as string;

  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    receiver = await startReceiver([500, 200]);
    smtp = await startSmtpSink();
    p = await startPonte('postgres', {
      env: { ...s.env, PONTE_WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCALE: '0.001', SMTP_URL: smtp.url, PUBLIC_URL: 'https://ponte.example' },
    });
    await seedReturnTeam(p.app);
  });
  afterAll(async () => {
    await p?.close();
    await Promise.all([erp?.close(), receiver?.close(), smtp?.close()]);
  });

  it('counts integration attempts by outcome and error code, and times ERP calls by operation', async () => {
    const ok = await post();
    await eventually(async () => (await status(ok)) === 'succeeded', 'the first integration to succeed');
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', action: { type: 'validation', field: 'Assunto', message: 'Assunto inválido' } });
    const refused = await post();
    await eventually(async () => (await status(refused)) === 'failed', 'the refused integration to fail');

    const text = await scrape();
    expect(sample(text, 'ponte_integration_attempts_total', { connector: 'bimer', outcome: 'succeeded', error_code: '' })).toBe(1);
    expect(sample(text, 'ponte_integration_attempts_total', { connector: 'bimer', outcome: 'failed', error_code: 'ERP_VALIDATION' })).toBe(1);
    expect(sample(text, 'ponte_erp_call_duration_seconds_count', { connector: 'bimer', operation: 'createCase', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'ponte_erp_call_duration_seconds_count', { connector: 'bimer', operation: 'createCase', outcome: 'permanent' })).toBe(1);
    // First attempts create without asking for the case by reference first: nobody could have created it.
    expect(sample(text, 'ponte_erp_call_duration_seconds_count', { connector: 'bimer', operation: 'findCaseByExternalRef', outcome: 'ok' })).toBeUndefined();
  });

  it('counts webhook delivery attempts by outcome', async () => {
    await p.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth('admin'), payload: { url: receiver.url, events: ['integration.succeeded'] } });
    const id = await post();
    await eventually(async () => receiver.requests.filter((r) => r.body.includes(id)).length === 2, 'a retried delivery');
    const text = await eventually(async () => {
      const t = await scrape();
      return sample(t, 'ponte_webhook_deliveries_total', { outcome: 'delivered' }) === 1 ? t : undefined;
    }, 'the delivered attempt counted');
    expect(sample(text, 'ponte_webhook_deliveries_total', { outcome: 'retrying' })).toBe(1);
    expect(sample(text, 'ponte_webhook_delivery_duration_seconds_count', { outcome: 'delivered' })).toBe(1);
  });

  it('counts e-mails by outcome: sent, and failed when the server refuses the mailbox', async () => {
    smtp.reject('ninguem@padaria.example');
    for (const clientEmail of ['joao@padaria.example', 'ninguem@padaria.example']) {
      expect((await p.app.inject({ method: 'POST', url: '/v1/returns', headers: auth('helpdesk'), payload: returnBody('notice', { clientEmail }) })).statusCode).toBe(201);
    }
    const text = await eventually(async () => {
      const t = await scrape();
      return sample(t, 'ponte_mail_total', { outcome: 'sent' }) === 1 && sample(t, 'ponte_mail_total', { outcome: 'failed' }) === 1 ? t : undefined;
    }, 'both e-mails counted');
    expect(sample(text, 'ponte_mail_total', { outcome: 'kept' })).toBeUndefined();
  });
});
