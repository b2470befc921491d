import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { integrationRequest, sandbox, session, SEED } from '../support/fixtures.js';
import { EVENT_TYPES } from '../../src/events/emit.js';
import { loadSchemas, SCHEMAS_DIR } from '../../src/schemas.js';
import { delinquency, newSecret, push } from '../erp-events/support.js';
import { createReturn, portal } from '../returns/fixtures.js';
import { ok, seedTeam } from '../chats/fixtures.js';
import { startReceiver, type Receiver } from './receiver.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

const erpSecret = newSecret();

describe('outbound events: one documented shape per type', () => {
  it('every event type has its JSON Schema under schemas/events/', async () => {
    const files = (await readdir(path.join(SCHEMAS_DIR, 'events'))).map((f) => f.replace(/\.json$/, '')).sort();
    expect(files).toEqual([...EVENT_TYPES].sort());
  });
});

describe('outbound events as a helpdesk receives them (redis)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let receiver: Receiver;
  const validators = new Map<string, ReturnType<Ajv['compile']>>();
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('redis', { env: { ...s.env, PONTE_WEBHOOK_ALLOW_PRIVATE: 'true', AGENTS_CAN_CLOSE: 'true', PONTE_ERP_SECRETS: erpSecret, JOB_ATTEMPTS: '2' } });
    receiver = await startReceiver();
    const res = await p.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth('admin'), payload: { url: receiver.url, events: [...EVENT_TYPES] } });
    expect(res.statusCode).toBe(201);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    for (const { schema } of await loadSchemas('events')) validators.set(schema.$id.replace('events/', ''), ajv.compile(schema));
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
    await receiver.close();
  });

  const received = (type: string, match: (data: Record<string, unknown>) => boolean) =>
    eventually(async () => receiver.requests.map((r) => JSON.parse(r.body)).find((e) => e.type === type && match(e.data)), `a ${type} event`);

  function expectDocumented(event: { type: string }) {
    const validate = validators.get(event.type)!;
    expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
  }

  it('integration.succeeded, failed and dead carry the REST names (erpProcessNumber, lastError), no column names', async () => {
    const good = (await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() })).json();
    const succeeded = await received('integration.succeeded', (d) => d.integrationId === good.integrations[0].id);
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 1, action: { type: 'validation', field: 'Assunto', message: 'Assunto inválido' } });
    const bad = (await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() })).json();
    const failed = await received('integration.failed', (d) => d.integrationId === bad.integrations[0].id);
    erp.faults.inject({ method: 'POST', path: '/api/crm/atendimentos', times: 2, action: { type: 'status', status: 503 } });
    const gone = (await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() })).json();
    const dead = await received('integration.dead', (d) => d.integrationId === gone.integrations[0].id);
    for (const e of [succeeded, failed, dead]) expectDocumented(e);
    expect(succeeded.data).toMatchObject({ status: 'succeeded', chatId: good.chatId, erpProcessNumber: expect.stringMatching(/^\d{8}$/), lastError: null });
    expect(failed.data).toMatchObject({ status: 'failed', lastError: { code: 'ERP_VALIDATION', retryable: false } });
    expect(dead.data).toMatchObject({ status: 'dead', lastError: { code: 'ERP_UNAVAILABLE', retryable: true } });
    expect(JSON.stringify([succeeded, failed, dead])).not.toMatch(/erp_process_number|error_code|error_message/);
  });

  it('chat.closed has the same keys from a posted session and from a live close, null when unknown', async () => {
    const posted = (await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session({ integrations: [] }) })).json();
    await seedTeam(p.app);
    const chat = await ok(p.app, 'POST', '/v1/chats', { client: { name: 'Maria', email: 'maria@cliente.example' }, departmentId: 'support', subject: 'Dúvida' });
    await ok(p.app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'ana' });
    await ok(p.app, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' });
    const fromSession = await received('chat.closed', (d) => d.chatId === posted.chatId);
    const live = await received('chat.closed', (d) => d.chatId === chat.id);
    expectDocumented(fromSession);
    expectDocumented(live);
    expect(Object.keys(live.data).sort()).toEqual(Object.keys(fromSession.data).sort());
    expect(fromSession.data).toMatchObject({ reason: 'session', clientCode: SEED.clients.company, agentId: 'ag-1', departmentId: 'suporte' });
    expect(live.data).toMatchObject({ reason: 'agent', externalId: null, clientCode: null, agentId: 'ana', departmentId: 'support' });
  });

  it('return.answered and client.delinquency.changed follow their schemas', async () => {
    const ret = await createReturn(p.app, 'question', { crmProcessNumber: SEED.openProcess });
    expect((await portal(p.app, 'POST', ret.id, ret.portalToken, '/answer', { text: 'Sim, pode ser na sexta.' })).status).toBeLessThan(300);
    expectDocumented(await received('return.answered', (d) => d.returnId === ret.id));
    await push(p, delinquency(SEED.clients.delinquent, true), { secret: erpSecret });
    expectDocumented(await received('client.delinquency.changed', (d) => d.clientCode === SEED.clients.delinquent));
  });
});
