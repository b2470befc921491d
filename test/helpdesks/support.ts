// Shared steps of the helpdesk adapter tests: post a signed delivery, find what it became.

import type { Ponte } from '../support/ponte.js';
import { auth, eventually } from '../support/ponte.js';

export async function postInbound(p: Ponte, helpdesk: 'chatwoot' | 'zammad', raw: string, headers: Record<string, string>) {
  return p.app.inject({ method: 'POST', url: `/v1/inbound/${helpdesk}`, headers, payload: raw });
}

export async function deliveries(p: Ponte, helpdesk: string) {
  const res = await p.app.inject({ method: 'GET', url: `/v1/admin/helpdesk-deliveries?helpdesk=${helpdesk}&limit=500`, headers: auth('admin') });
  return res.json().items as Array<{ id: string; deliveryId: string; externalId: string; status: string; chatId: string | null; completionError: string | null; receivedAt: string }>;
}

/** The chat a delivery became, once it is written. */
export async function chatOf(p: Ponte, helpdesk: string, deliveryId: string): Promise<string> {
  return eventually(async () => (await deliveries(p, helpdesk)).find((d) => d.deliveryId === deliveryId && d.chatId)?.chatId, `delivery ${deliveryId} ingested`);
}

export async function chatMessages(p: Ponte, chatId: string) {
  return (await p.app.inject({ method: 'GET', url: `/v1/chats/${chatId}/messages`, headers: auth('helpdesk') })).json().items as Array<{ from: string; text: string; private: boolean; authorName: string | null }>;
}

export async function settledIntegrations(p: Ponte, chatId: string, status = 'succeeded') {
  return eventually(async () => {
    const items = (await p.app.inject({ method: 'GET', url: `/v1/chats/${chatId}/integrations`, headers: auth('helpdesk') })).json().items as Array<{ id: string; status: string; erpProcessNumber: string | null; lastError: { code: string } | null }>;
    return items.length && items.every((i) => i.status === status) ? items : undefined;
  }, `integrations of ${chatId} ${status}`);
}

export async function countRows(p: Ponte, table: 'chats' | 'helpdesk_deliveries' | 'integrations' | 'helpdesk_notes'): Promise<number> {
  const { rows } = await p.deps.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}
