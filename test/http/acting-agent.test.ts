// The acting agent (seed 003 "who"): a key made with requireAgent refuses writes that name no
// agent (400 naming X-Agent-Id), an unknown agent or a header and body that disagree; every write
// that names one is recorded as "agent:<id> via key <name>" in history, timeline and audit, with
// or without the option; reads, previews and spell-checks need no agent.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { API_KEYS, auth, startPonte, type Ponte } from '../support/ponte.js';
import { call, createReturn, ok, returnBody, seedReturnTeam } from '../returns/fixtures.js';
import { multipart } from '../chats/fixtures.js';

const DESK_SECRET = 'test-desk-secret-requires-agent-0001';
const desk = { authorization: `Bearer ${DESK_SECRET}` };
const as = (agentId: string, headers: Record<string, string> = desk) => ({ ...headers, 'x-agent-id': agentId });

describe('acting agent on writes', () => {
  let ponte: Ponte;
  let app: FastifyInstance;

  beforeAll(async () => {
    ponte = await startPonte('postgres', { env: { PONTE_API_KEYS: `${API_KEYS},desk:helpdesk:${DESK_SECRET}:requireAgent` } });
    app = ponte.app;
    await seedReturnTeam(app);
    await ok(app, 'PUT', '/v1/agents/ana', { name: 'Ana Souza', departmentIds: ['support'], online: true }, auth('admin'));
  }, 120_000);

  afterAll(async () => {
    await ponte?.close();
  });

  const audit = async (targetId: string) => (await ponte.deps.db.query('SELECT actor, action FROM audit_events WHERE target_id = $1 ORDER BY id', [targetId])).rows;

  it('refuses a write on a requireAgent key that names no agent, naming X-Agent-Id', async () => {
    const res = await call(app, 'PUT', '/v1/agents/bruno/presence', { online: false }, desk);
    expect([res.status, res.body.error.code, res.body.error.details.map((d: { path: string }) => d.path)]).toEqual([400, 'AGENT_REQUIRED', ['X-Agent-Id']]);
    expect((await ok(app, 'GET', '/v1/agents/bruno', undefined, desk)).online).toBe(true);
  });

  it('refuses an unknown agent, and a header and body that name different agents', async () => {
    const unknown = await call(app, 'PUT', '/v1/agents/bruno/presence', { online: false }, as('nobody'));
    expect([unknown.status, unknown.body.error.code, unknown.body.error.details[0].path]).toEqual([400, 'UNKNOWN_AGENT', 'X-Agent-Id']);
    const r = await createReturn(app);
    const mismatch = await call(app, 'POST', `/v1/returns/${r.id}/situation`, { situation: 'x', agentId: 'bruno' }, as('ana', auth('helpdesk')));
    expect([mismatch.status, mismatch.body.error.code]).toEqual([400, 'AGENT_MISMATCH']);
    expect(mismatch.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['X-Agent-Id', 'agentId']);
  });

  it('records "agent:ana via key desk" in the audit, the history and the timeline', async () => {
    await ok(app, 'PUT', '/v1/agents/bruno/presence', { online: false }, as('ana'));
    expect((await audit('bruno')).at(-1)).toEqual({ actor: 'agent:ana via key desk', action: 'agent.presence' });

    const created = await call(app, 'POST', '/v1/returns', returnBody('question'), as('ana'));
    expect(created.status, created.raw).toBe(201);
    const id = created.body.id as string;
    await ok(app, 'PATCH', `/v1/returns/${id}`, { subject: 'Proposta revista' }, as('ana'));
    const history = (await ok(app, 'GET', `/v1/returns/${id}/history`, undefined, desk)).items as Array<{ action: string; actor: string }>;
    expect(history.map((h) => [h.action, h.actor])).toEqual([['return.created', 'agent:ana via key desk'], ['return.updated', 'agent:ana via key desk']]);
    const view = await ok(app, 'GET', `/v1/returns/${id}`, undefined, desk);
    expect(view.timeline.find((e: { event?: string }) => e.event === 'created').author).toEqual({ kind: 'agent', name: 'agent:ana via key desk' });
  });

  it("names the agent by the body's agentId too, and signs the reply's mail with the agent's name", async () => {
    const r = await createReturn(app);
    const reply = await call(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Podemos sim.', sendByEmail: true, agentId: 'ana' }, desk);
    expect(reply.status, reply.raw).toBe(201);
    const history = (await ok(app, 'GET', `/v1/returns/${r.id}/history`)).items as Array<{ action: string; actor: string }>;
    expect(history.at(-1)!.actor).toBe('agent:ana via key desk');
    const { rows } = await ponte.deps.db.query<{ text: string }>("SELECT text FROM mail_messages WHERE return_id = $1 AND kind = 'reply'", [r.id]);
    expect(rows[0]!.text).toContain('— Ana Souza');
  });

  it('keeps keys without the option working, recording the agent when a write names one', async () => {
    const plain = await createReturn(app);
    const history = (await ok(app, 'GET', `/v1/returns/${plain.id}/history`)).items as Array<{ actor: string }>;
    expect(history[0]!.actor).toBe('helpdesk');
    await ok(app, 'PATCH', `/v1/returns/${plain.id}`, { subject: 'Outra proposta' }, as('bia', auth('helpdesk')));
    const after = (await ok(app, 'GET', `/v1/returns/${plain.id}/history`)).items as Array<{ actor: string }>;
    expect(after.at(-1)!.actor).toBe('agent:bia via key helpdesk');
  });

  it('takes the requireAgent option on keys created by an admin', async () => {
    const created = await call(app, 'POST', '/v1/admin/keys', { name: 'desk-2', roles: ['helpdesk'], requireAgent: true }, auth('admin'));
    expect([created.status, created.body.requireAgent]).toEqual([201, true]);
    const key = { authorization: `Bearer ${created.body.secret}` };
    expect((await call(app, 'PUT', '/v1/agents/bia/presence', { online: false }, key)).body.error.code).toBe('AGENT_REQUIRED');
    expect((await call(app, 'PUT', '/v1/agents/bia/presence', { online: false }, as('bia', key))).status).toBe(200);
    expect((await audit('bia')).at(-1)!.actor).toBe('agent:bia via key desk-2');
  });

  it('needs no agent for reads, previews and spell-checks; multipart uploads name it in the header', async () => {
    expect((await call(app, 'GET', '/v1/agents', undefined, desk)).status).toBe(200);
    expect((await call(app, 'POST', '/v1/returns/preview', returnBody('question'), desk)).status).toBe(200);
    expect((await call(app, 'POST', '/v1/spellcheck', { text: 'texto', agentId: 'nobody' }, desk)).status).toBe(404);
    const r = await createReturn(app);
    const body = multipart([{ filename: 'boleto.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4 boleto') }]);
    const without = await app.inject({ method: 'POST', url: `/v1/returns/${r.id}/attachments`, headers: { ...body.headers, ...desk }, payload: body.payload });
    expect(without.json().error.code).toBe('AGENT_REQUIRED');
    const named = await app.inject({ method: 'POST', url: `/v1/returns/${r.id}/attachments`, headers: { ...body.headers, ...as('ana') }, payload: body.payload });
    expect(named.statusCode, named.body).toBe(201);
  });
});
