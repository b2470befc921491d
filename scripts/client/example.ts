// A helpdesk's client generated from the document (openapi-typescript + openapi-fetch): post a
// finished session, then read its integrations. Type-checked by scripts/openapi-contract.ts
// against ponte-api.d.ts, which that script generates; a drifting document breaks the build.

import createClient from 'openapi-fetch';
import type { paths } from './ponte-api.js';

export async function postAndFollow(baseUrl: string, apiKey: string): Promise<string[]> {
  const ponte = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${apiKey}` } });
  const posted = await ponte.POST('/v1/sessions', {
    params: { header: { 'Idempotency-Key': 'session-48213' } },
    body: {
      externalId: 'helpdesk-48213',
      departmentId: 'support',
      client: { name: 'João Cliente', email: 'joao@padaria.example', clientCode: '000012' },
      agent: { id: 'ana', name: 'Ana Atendente' },
      startedAt: '2026-11-20T13:00:00Z',
      closedAt: '2026-11-20T13:20:00Z',
      messages: [{ at: '2026-11-20T13:00:00Z', from: 'client', text: 'Meu certificado venceu.' }],
    },
  });
  if (posted.error) throw new Error(`${posted.error.error?.code}: ${posted.error.error?.message}`);
  const chatId: string = posted.data.chatId;
  const listed = await ponte.GET('/v1/chats/{id}/integrations', { params: { path: { id: chatId } } });
  if (listed.error) throw new Error(listed.error.error?.code);
  return listed.data.items.map((i) => `${i.id} ${i.status} ${i.erpProcessNumber ?? ''}`);
}
