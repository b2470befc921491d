import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPonte, auth, eventually, type Ponte } from '../support/ponte.js';
import { integrationRequest, sandbox, session, SEED } from '../support/fixtures.js';
import { scratchSets, type ScratchSets } from '../support/mapping-sets.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';

// 22:30 in São Paulo on 20 November 2026 (01:30 UTC on the 21st).
const EVENING_IN_BRASILIA = new Date('2026-11-21T01:30:00Z');

async function postSession(p: Ponte, body: Record<string, unknown>) {
  return p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: body });
}

const paths = (res: { json(): { error: { details: Array<{ path: string }> } } }) => res.json().error.details.map((d) => d.path);

describe('accept-time truth: what the request already shows is refused at once (redis)', () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let now = new Date();
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    p = await startPonte('redis', { env: s.env, clock: { now: () => now } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
  });

  it('an opinion that would be empty (multiple, nothing written) answers 400 naming the opinion, and writes nothing', async () => {
    const body = session({ advanceOpinion: undefined, integrations: [integrationRequest({ multiple: true, standardOpinionId: undefined })] });
    const res = await postSession(p, body);
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(['integrations[0].opinion']);
    const { rows } = await p.deps.db.query('SELECT count(*)::int AS n FROM chats WHERE external_id = $1', [body.externalId]);
    expect(rows[0]!.n).toBe(0);
  });

  it('a chat without messages nor advance opinion needs an opinion or a standard text', async () => {
    const res = await postSession(p, session({ advanceOpinion: undefined, integrations: [integrationRequest({ standardOpinionId: undefined })] }, 0));
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(['integrations[0].opinion']);
    const ok = await postSession(p, session({ advanceOpinion: undefined, integrations: [integrationRequest()] }, 0));
    expect(ok.statusCode).toBe(202);
  });

  it('in multiple mode the advance opinion alone is an opinion, and it reaches the ERP', async () => {
    const res = await postSession(p, session({ integrations: [integrationRequest({ multiple: true, standardOpinionId: undefined })] }));
    expect(res.statusCode).toBe(202);
    const id = res.json().integrations[0].id;
    await eventually(async () => erp.state.cases.find((c) => c.ReferenciaExterna === id), 'the ERP case');
    expect(erp.state.cases.find((c) => c.ReferenciaExterna === id)!.Pareceres[0]!.Texto).toBe('Certificado A1 vencido.');
  });

  it('unknown SpySystem logins answer 400 naming notify.spySystemLogins', async () => {
    const res = await postSession(p, session({ integrations: [integrationRequest({ notify: { spySystemLogins: ['ana.souza', 'fulano'] } })] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'integrations[0].notify.spySystemLogins', message: 'no ERP user with SpySystem login fulano' }]);
  });

  it('an unknown process to link answers 400 naming processNumber', async () => {
    const res = await postSession(p, session({ integrations: [integrationRequest({ processNumber: '99999999' })] }));
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(['integrations[0].processNumber']);
  });

  it("another client's process answers 400 naming processNumber: no opinion lands on someone else's case", async () => {
    const res = await postSession(p, session({ integrations: [integrationRequest({ clientCode: SEED.clients.person, processNumber: SEED.openProcess, closeCase: false, responsibilityCenterId: undefined })] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'integrations[0].processNumber', message: `ERP process ${SEED.openProcess} belongs to client ${SEED.clients.company}, not to ${SEED.clients.person}` }]);
  });

  it('takes "today" in São Paulo: at 22:30 in Brasília that same day is still a valid next-contact date', async () => {
    now = EVENING_IN_BRASILIA;
    try {
      const open = { closeCase: false, responsibilityCenterId: undefined, nextContact: { userId: SEED.users.bruno, date: '2026-11-20' } };
      const res = await postSession(p, session({ integrations: [integrationRequest(open)] }));
      expect(res.statusCode).toBe(202);
      const past = await postSession(p, session({ integrations: [integrationRequest({ ...open, nextContact: { userId: SEED.users.bruno, date: '2026-11-19' } })] }));
      expect(past.statusCode).toBe(400);
      expect(paths(past)).toEqual(['integrations[0].nextContact.date']);
    } finally {
      now = new Date();
    }
  });
});

describe("a deployment's own payload limits, at accept time (redis)", () => {
  let p: Ponte;
  let erp: BimerSandbox;
  let sets: ScratchSets;
  beforeAll(async () => {
    const s = await sandbox();
    erp = s.sandbox;
    // The deployment's own copy of the bimer set, whose ERP takes subjects of at most 20 characters.
    sets = await scratchSets('bimer');
    await sets.editJson('bimer', 'payloads/createCase.json', (schema) => (schema.properties.Assunto.maxLength = 20));
    p = await startPonte('redis', { env: { ...s.env, ERP_MAPPINGS_DIR: sets.dir } });
  });
  afterAll(async () => {
    await p.close();
    await erp.close();
    await sets.remove();
  });

  it('a subject longer than the ERP accepts answers 400 naming subject, on both routes, and writes nothing', async () => {
    const long = 'Nota fiscal rejeitada pela SEFAZ';
    const res = await postSession(p, session({ integrations: [integrationRequest({ subject: long })] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INTEGRATION_RULES', details: [{ path: 'integrations[0].subject', message: expect.stringContaining('Assunto') }] });

    const posted = await postSession(p, session({ integrations: [] }));
    const chatId = posted.json().chatId;
    const direct = await p.app.inject({ method: 'POST', url: `/v1/chats/${chatId}/integrations`, headers: auth('helpdesk'), payload: integrationRequest({ subject: long }) });
    expect(direct.statusCode).toBe(400);
    expect(paths(direct)).toEqual(['subject']);
    const { rows } = await p.deps.db.query('SELECT id FROM integrations WHERE chat_id = $1', [chatId]);
    expect(rows).toEqual([]);
    expect((await p.app.inject({ method: 'POST', url: `/v1/chats/${chatId}/integrations`, headers: auth('helpdesk'), payload: integrationRequest({ subject: 'NF-e rejeitada' }) })).statusCode).toBe(202);
  });
});
