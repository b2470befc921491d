// Small factories for the chat-tool tests: a team and an active chat (the chat tests' own
// factories), live events collected from a chat's topic, and product versions the ERP recorded.

import type { Ponte } from '../support/ponte.js';
import type { LiveEvent } from '../../src/jobs/live.js';

export { activeChat, admin, call, helpdesk, ok, seedTeam, startChat } from '../chats/fixtures.js';

/** Subscribes to the chat's live topic (as its SSE stream does) and keeps what arrives. */
export async function collectLive(ponte: Ponte, chatId: string): Promise<{ events: LiveEvent[]; stop: () => void }> {
  const events: LiveEvent[] = [];
  const stop = await ponte.deps.live.subscribe(`chat:${chatId}`, (event) => events.push(event));
  return { events, stop };
}

/** What the ERP would have pushed for the client (product-versions.updated). */
export async function recordVersions(ponte: Ponte, clientCode: string, versions: Array<{ system: string; entitled: string | null; used?: string }>): Promise<void> {
  for (const v of versions) {
    await ponte.deps.db.query(
      `INSERT INTO client_product_versions (client_code, system, used, entitled, downloaded, occurred_at) VALUES ($1, $2, $3, $4, NULL, now())
       ON CONFLICT (client_code, system) DO UPDATE SET entitled = EXCLUDED.entitled`,
      [clientCode, v.system, v.used ?? null, v.entitled],
    );
  }
}

/** The chat's system lines that match `about` (the chat's own lines, e.g. "Ana iniciou...", are left out). */
export async function systemMessages(ponte: Ponte, chatId: string, about: RegExp): Promise<string[]> {
  const { rows } = await ponte.deps.db.query<{ text: string }>("SELECT text FROM messages WHERE chat_id = $1 AND sender = 'system' ORDER BY id", [chatId]);
  return rows.map((r) => r.text).filter((text) => about.test(text));
}
