// Spell-check over HTTP for agents who have it on: pt-BR suggestions, <code> spans skipped, and
// a custom dictionary whose changes every process (here: a second ponte on the same database)
// accepts without a restart.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, startPonte, uniqueName, type Ponte } from '../support/ponte.js';
import { admin, call, helpdesk, ok, seedTeam } from './fixtures.js';

type Flagged = { word: string; offset: number; suggestions: string[] };

async function spellcheck(ponte: Ponte, text: string, agentId = 'ana') {
  const res = await ponte.app.inject({ method: 'POST', url: '/v1/spellcheck', headers: helpdesk, payload: { text, agentId } });
  return { status: res.statusCode, body: res.json() };
}
const flaggedWords = async (ponte: Ponte, text: string) => {
  const res = await spellcheck(ponte, text);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.misspellings as Flagged[]).map((m) => m.word);
};
const dictionary = (ponte: Ponte, method: 'POST' | 'DELETE' | 'GET', word?: string) => ponte.app.inject({
  method,
  url: method === 'DELETE' ? `/v1/spellcheck/dictionary/${encodeURIComponent(word!)}` : '/v1/spellcheck/dictionary',
  headers: admin,
  ...(method === 'POST' ? { payload: { word } } : {}),
});

describe.each(['embedded', 'redis'] as const)('spell-check (%s)', (mode) => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte(mode, { workers: false });
    await seedTeam(ponte.app);
  });
  afterAll(async () => ponte?.close());

  it('flags "atendimentoo" at its offset with "atendimento" among the suggestions', async () => {
    const text = 'Obrigado pelo atendimentoo de hoje.';
    const res = await spellcheck(ponte, text);
    expect(res.status).toBe(200);
    expect(res.body.misspellings).toEqual([{ word: 'atendimentoo', offset: text.indexOf('atendimentoo'), suggestions: expect.arrayContaining(['atendimento']) }]);
  });

  it('skips text between <code> tags', async () => {
    expect(await flaggedWords(ponte, 'Envie a fórmula <code> sistena { (SC + PT) / MD } <code> e o relatorio.')).toEqual(['relatorio']);
    expect(await flaggedWords(ponte, 'A chave <code>xptoo-abcc</code> está certa.')).toEqual([]);
  });

  it('accepts a word once an admin adds it, and flags it again after it is removed', async () => {
    const text = 'O Karoo avisa o agente.';
    expect(await flaggedWords(ponte, text)).toEqual(['Karoo']);
    const added = await dictionary(ponte, 'POST', 'Karoo');
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ word: 'Karoo', addedBy: 'admin' });
    expect(await flaggedWords(ponte, text)).toEqual([]);
    expect((await dictionary(ponte, 'GET')).json()).toMatchObject({ items: [{ word: 'Karoo' }] });
    expect((await dictionary(ponte, 'DELETE', 'Karoo')).statusCode).toBe(204);
    expect(await flaggedWords(ponte, text)).toEqual(['Karoo']);
  });
});

describe('spell-check: who may use it, and the dictionary on every process', () => {
  let first: Ponte;
  let second: Ponte;
  beforeAll(async () => {
    const namespace = `${uniqueName('q')}-`;
    first = await startPonte('postgres', { workers: false, namespace });
    await seedTeam(first.app);
    second = await startPonte('postgres', { workers: false, namespace, databaseUrl: first.config.databaseUrl });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('answers 403 SPELLCHECK_DISABLED for an agent without spell-check, 404 for an unknown agent', async () => {
    const off = await spellcheck(first, 'texto', 'bruno');
    expect([off.status, off.body.error.code]).toEqual([403, 'SPELLCHECK_DISABLED']);
    expect((await spellcheck(first, 'texto', 'nobody')).status).toBe(404);
    const tooLong = await spellcheck(first, 'a'.repeat(20_001));
    expect(tooLong.status).toBe(400);
    expect((await spellcheck(first, `${'palavra '.repeat(2_499)}ok`)).status).toBe(200);
  });

  it('keeps the dictionary to admins and accepts only real words', async () => {
    expect((await call(first.app, 'GET', '/v1/spellcheck/dictionary')).status).toBe(403);
    const asErp = await first.app.inject({ method: 'POST', url: '/v1/spellcheck', headers: auth('erp'), payload: { text: 'x', agentId: 'ana' } });
    expect(asErp.statusCode).toBe(403);
    for (const word of ['abc1', 'duas palavras', 'hífen-', '-x', "d''água", 'a'.repeat(61)]) {
      const res = await dictionary(first, 'POST', word);
      expect([res.statusCode, res.json().error?.details?.[0]?.path], word).toEqual([400, 'word']);
    }
    expect((await dictionary(first, 'POST', 'd’água-viva')).statusCode).toBe(201);
    expect((await dictionary(first, 'POST', "d'água-viva")).statusCode).toBe(200);
    expect((await dictionary(first, 'DELETE', "d'água-viva")).statusCode).toBe(204);
    expect((await dictionary(first, 'DELETE', 'Nuncavisto')).statusCode).toBe(404);
  });

  it('a word added or removed through one process is accepted or flagged by another without a restart', async () => {
    const text = 'O Bimerzinho sincroniza os pedidos.';
    // Both processes have loaded the dictionary before the change.
    expect(await flaggedWords(first, text)).toEqual(['Bimerzinho']);
    expect(await flaggedWords(second, text)).toEqual(['Bimerzinho']);

    expect((await dictionary(first, 'POST', 'Bimerzinho')).statusCode).toBe(201);
    expect(await flaggedWords(first, text)).toEqual([]);
    await eventually(async () => (await flaggedWords(second, text)).length === 0, 'the second process to accept the word');

    expect((await dictionary(second, 'DELETE', 'Bimerzinho')).statusCode).toBe(204);
    expect(await flaggedWords(second, text)).toEqual(['Bimerzinho']);
    await eventually(async () => (await flaggedWords(first, text)).length === 1, 'the first process to flag it again');
  });

  it('a process that starts after the change accepts the word from its first check', async () => {
    await dictionary(first, 'POST', 'Pontezinha');
    const third = await startPonte('postgres', { workers: false, databaseUrl: first.config.databaseUrl });
    try {
      expect(await flaggedWords(third, 'A Pontezinha chegou.')).toEqual([]);
    } finally {
      await third.close();
    }
  });
});

describe('spell-check: bounded work per request and per key', () => {
  let ponte: Ponte;
  beforeAll(async () => {
    ponte = await startPonte('postgres', { workers: false, env: { SPELLCHECK_SUGGEST_WORDS: '2', SPELLCHECK_MAX_PENDING_PER_KEY: '1' } });
    await seedTeam(ponte.app);
  });
  afterAll(async () => ponte?.close());

  it('looks up suggestions for at most SPELLCHECK_SUGGEST_WORDS new words; the others are still flagged', async () => {
    const nonsense = ['xqzvt', 'blorfk', 'zzptaq', 'qwrtyp', 'mnbvcx'];
    const res = await spellcheck(ponte, `Olá ${nonsense.join(' ')} obrigado.`);
    expect(res.status).toBe(200);
    const found = res.body.misspellings as Array<Flagged & { suggestionsSkipped?: boolean }>;
    expect(found.map((m) => m.word)).toEqual(nonsense);
    expect(found.filter((m) => m.suggestionsSkipped).map((m) => m.word)).toEqual(nonsense.slice(2));
    expect(found.slice(2).every((m) => m.suggestions.length === 0)).toBe(true);
    // Suggestions already looked up cost nothing: they come back without using the budget.
    const again = (await spellcheck(ponte, `${nonsense.slice(0, 2).join(' ')} atendimentoo`)).body.misspellings as Array<Flagged & { suggestionsSkipped?: boolean }>;
    expect(again.map((m) => m.suggestionsSkipped ?? false)).toEqual([false, false, false]);
  }, 120_000);

  it('lets one key have at most SPELLCHECK_MAX_PENDING_PER_KEY checks waiting', async () => {
    const texts = Array.from({ length: 4 }, (_, i) => `palavrax${i} outrax${i} maisx${i}`);
    const answers = await Promise.all(texts.map((t) => spellcheck(ponte, t)));
    const busy = answers.filter((a) => a.status === 429);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.body.error.code).toBe('SPELLCHECK_BUSY');
    expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toContain(200);
  });
});
