import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { sandbox, session } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

describe('finished sessions: private lines', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('embedded', { env: s.env });
  }, 120_000);
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it('a message marked private is kept with the chat but left out of the transcript and the ERP opinion', async () => {
    const body = session();
    const messages = body.messages as Array<Record<string, unknown>>;
    messages.splice(2, 0, { at: messages[1]!.at, from: 'agent', text: 'Nota interna: cliente já ligou três vezes.', private: true });
    const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body });
    expect(res.statusCode).toBe(202);
    const { chatId, integrations } = res.json();

    const all = (await p.app.inject({ method: 'GET', url: `/v1/chats/${chatId}/messages`, headers: auth('helpdesk') })).json().items;
    expect(all).toHaveLength(5);
    expect(all.filter((m: { private: boolean }) => m.private).map((m: { text: string }) => m.text)).toEqual(['Nota interna: cliente já ligou três vezes.']);

    const transcript = await p.app.inject({ method: 'GET', url: `/v1/chats/${chatId}/transcript?format=text`, headers: auth('helpdesk') });
    expect(transcript.body).toContain('Mensagem 0 do cliente');
    expect(transcript.body).not.toContain('Nota interna');

    const done = await eventually(async () => {
      const i = (await p.app.inject({ method: 'GET', url: `/v1/integrations/${integrations[0].id}`, headers: auth('helpdesk') })).json();
      return i.status === 'succeeded' ? i : undefined;
    }, 'integration succeeded');
    const erpCase = erp.state.cases.find((c) => c.Numero === done.erpProcessNumber)!;
    expect(erpCase.Pareceres[0]!.Texto).toContain('Mensagem 0 do cliente');
    expect(erpCase.Pareceres[0]!.Texto).not.toContain('Nota interna');
  });

  it('private must be a boolean', async () => {
    const body = session({ messages: [{ at: '2026-11-20T13:00:00Z', from: 'agent', text: 'x', private: 'sim' }] });
    const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain('messages.0.private');
  });
});
