import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { integrationRequest, sandbox, session, SEED } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

describe('the integration form (redis)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let chatId: string;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('redis', { env: s.env });
    const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session({ integrations: [] }) });
    chatId = res.json().chatId;
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  const form = (query = '') => p.app.inject({ method: 'GET', url: `/v1/chats/${chatId}/integration-form${query}`, headers: auth('helpdesk') });
  const integrate = (body: Record<string, unknown>) => p.app.inject({ method: 'POST', url: `/v1/chats/${chatId}/integrations`, headers: auth('helpdesk'), payload: body });
  const erpText = async (id: string) => {
    const found = await eventually(async () => erp.state.cases.find((c) => c.ReferenciaExterna === id), 'the ERP case');
    return found.Pareceres[0]!.Texto;
  };

  it('with processNumber, shows that process: situation, next contact and its user, and the next contact it fills in', async () => {
    const res = await form(`?processNumber=${SEED.openProcess}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().process).toEqual({ number: SEED.openProcess, status: 'ABERTO', nextContact: { date: '2030-06-03', userId: SEED.users.bruno, userName: 'Bruno Lima' } });
    expect(res.json().prefill).toMatchObject({ processNumber: SEED.openProcess, nextContact: { userId: SEED.users.bruno, date: '2030-06-03' } });
    expect((await form()).json()).toMatchObject({ process: null, prefill: { processNumber: null, nextContact: null } });
  });

  it('names processNumber when the process does not exist (404) or is not a process number (400)', async () => {
    const unknown = await form('?processNumber=99999999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.details).toEqual([{ path: 'processNumber', message: 'no ERP process 99999999' }]);
    const bad = await form('?processNumber=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toContain('processNumber');
  });

  it('prefills exactly what is sent: the prefilled opinion sent back gives the same ERP text as sending nothing', async () => {
    const { prefill } = (await form()).json();
    expect(prefill.opinion.startsWith('Certificado A1 vencido.\n\n[20/11/2026 10:00] João Cliente: Mensagem 0')).toBe(true);
    expect(prefill.opinionWhenMultiple).toBe('Certificado A1 vencido.');

    const sentBack = await integrate(integrationRequest({ multiple: true, standardOpinionId: undefined, opinion: prefill.opinionWhenMultiple }));
    expect(sentBack.statusCode).toBe(202);
    expect(await erpText(sentBack.json().id)).toBe(prefill.opinionWhenMultiple);
    const nothing = await integrate(integrationRequest({ multiple: true, standardOpinionId: undefined }));
    expect(await erpText(nothing.json().id)).toBe(prefill.opinionWhenMultiple);
  });
});
