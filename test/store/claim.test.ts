// The integration job's claim reads the chat's opinion sources in the same statement: the
// transcript only where needsTranscript says the opinion is prefilled from it, never a private
// line, nothing for a row that is not its job's or has no chat.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type StoreKind } from '../support/stores.js';
import { claimIntegration, insertIntegration } from '../../src/store/integrations.js';
import { insertMessages } from '../../src/store/chats.js';
import { needsTranscript } from '../../src/integration/case-record.js';
import type { IntegrationRequest } from '../../src/domain/integration-request.js';
import type { Db } from '../../src/store/db.js';

const KINDS: StoreKind[] = ['pglite', 'postgres'];
const BASE = { clientCode: '000012', productId: 'P', caseTypeId: 'T' } as IntegrationRequest;
const VARIANTS: IntegrationRequest[] = [
  BASE,
  { ...BASE, multiple: true },
  { ...BASE, multiple: false },
  { ...BASE, opinion: 'Ligar amanhã.' },
  { ...BASE, multiple: true, opinion: 'Ligar amanhã.' },
  { ...BASE, multiple: false, opinion: '' },
];

describe.each(KINDS)('claiming an integration on %s', (kind) => {
  let store: { db: Db; close(): Promise<void> };
  let chatId: string;
  beforeAll(async () => {
    store = await openStore(kind);
    const { rows } = await store.db.query<{ id: string }>(
      `INSERT INTO chats (status, department_id, client, advance_opinion) VALUES ('closed', 'suporte', '{"name":"João Cliente"}', 'Já orientado.') RETURNING id`,
    );
    chatId = rows[0]!.id;
    await insertMessages(store.db, chatId, [
      { at: '2026-11-20T13:00:00Z', sender: 'client', authorName: 'João Cliente', text: 'A nota foi rejeitada.' },
      { at: '2026-11-20T13:00:05Z', sender: 'agent', authorName: 'Ana', text: 'cliente difícil', private: true },
      { at: '2026-11-20T13:00:09Z', sender: 'agent', authorName: 'Ana', text: 'Vamos ver o certificado.' },
    ]);
  }, 120_000);
  afterAll(async () => store.close());

  it.each(VARIANTS.map((r, i) => [i, r] as const))('request variant %i: the transcript is read exactly when needsTranscript says so', async (_i, request) => {
    const row = await insertIntegration(store.db, { chatId, kind: 'case', connector: 'bimer', clientCode: '000012', request });
    const claimed = await claimIntegration(store.db, row.id, row.id);
    expect(claimed?.row).toMatchObject({ id: row.id, status: 'running', attempts: 1, request });
    expect(claimed?.row).not.toHaveProperty('source_messages');
    expect(claimed?.chat).toMatchObject({ advanceOpinion: 'Já orientado.', clientName: 'João Cliente' });
    const texts = claimed!.chat!.messages.map((m) => m.text);
    expect(texts).toEqual(needsTranscript(request) ? ['A nota foi rejeitada.', 'Vamos ver o certificado.'] : []);
  });

  it('claims nothing for another job id, and no chat sources for a row without a chat', async () => {
    const row = await insertIntegration(store.db, { chatId, kind: 'case', connector: 'bimer', request: BASE });
    expect(await claimIntegration(store.db, row.id, `${row.id}-r1`)).toBeUndefined();
    const opinion = await insertIntegration(store.db, { returnId: 'r-1', kind: 'opinion', connector: 'bimer', request: { ...BASE, text: 'Resposta' } as IntegrationRequest });
    const claimed = await claimIntegration(store.db, opinion.id, opinion.id);
    expect(claimed).toMatchObject({ row: { id: opinion.id, status: 'running' }, chat: undefined });
  });
});
