// The helpdesk API calls a descriptor declares: a conversation's messages (paging back through
// older pages) and an internal note. Paths and answers are the descriptor's; this only runs them.

import type { Helpdesk } from './registry.js';
import type { Conversation } from './store.js';
import type { Expression, MessagesCall } from './descriptor.js';
import { callHelpdesk, HelpdeskCallError, type CallResult } from './http.js';
import { apiConfigured } from './settings.js';

/** Older messages than this many are not read: a finished session holds at most 5,000 lines. */
export const MAX_MESSAGES = 4_900;

export interface MessageList { items: unknown[]; truncated: boolean }

function contractError(h: Helpdesk, what: string): HelpdeskCallError {
  return new HelpdeskCallError('HELPDESK_CONTRACT', `${h.descriptor.label} API: ${what} (mappings/helpdesks/${h.descriptor.name}.json)`, false);
}

function target(h: Helpdesk, template: string, conversation: Conversation, query?: Record<string, string>): URL {
  const path = template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = conversation[name];
    if (value === undefined || value === '') throw contractError(h, `the conversation has no "${name}" for the path ${template}`);
    return encodeURIComponent(String(value));
  });
  const url = new URL(`${h.settings.url!.replace(/\/+$/, '')}${path}`);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  return url;
}

function call(h: Helpdesk, url: URL, method: 'GET' | 'POST', timeoutMs: number, body?: unknown): Promise<CallResult> {
  if (!apiConfigured(h.settings)) throw contractError(h, `${h.descriptor.settingsPrefix}_URL and ${h.descriptor.settingsPrefix}_API_TOKEN are not both set`);
  const { auth } = h.descriptor.api!;
  return callHelpdesk(url, {
    method,
    body,
    timeoutMs,
    tokenSetting: `${h.descriptor.settingsPrefix}_API_TOKEN`,
    headers: { [auth.header]: auth.value.replace('{token}', h.settings.apiToken!) },
  });
}

async function evaluate(h: Helpdesk, expr: Expression, input: unknown, field: string): Promise<unknown> {
  try {
    return await expr.evaluate(input);
  } catch (err) {
    throw contractError(h, `${field} failed on the answer: ${(err as Error).message}`);
  }
}

async function pageItems(h: Helpdesk, messages: MessagesCall, answer: unknown): Promise<unknown[]> {
  const items = await evaluate(h, messages.items, answer, 'api.messages.items');
  if (items === undefined || items === null) return [];
  if (Array.isArray(items)) return items;
  if (typeof items === 'object') return [items];
  throw contractError(h, 'api.messages.items does not select a list of messages from the answer');
}

function messagesCall(h: Helpdesk): MessagesCall {
  const messages = h.descriptor.api?.messages;
  if (!messages) throw contractError(h, 'no api.messages call is declared');
  return messages;
}

/** Every message of the conversation, oldest first as the pages come (at most MAX_MESSAGES). */
export async function readMessages(h: Helpdesk, conversation: Conversation, timeoutMs: number): Promise<MessageList> {
  const messages = messagesCall(h);
  const pages: unknown[][] = [];
  let count = 0;
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const query = cursor !== undefined && messages.pages ? { [messages.pages.param]: cursor } : undefined;
    const answer = (await call(h, target(h, messages.path, conversation, query), 'GET', timeoutMs)).body;
    const items = await pageItems(h, messages, answer);
    pages.unshift(items);
    count += items.length;
    if (!messages.pages || items.length < messages.pages.size) return { items: pages.flat(), truncated: false };
    if (count >= MAX_MESSAGES) return { items: pages.flat().slice(-MAX_MESSAGES), truncated: true };
    const next = await evaluate(h, messages.pages.cursor, answer, 'api.messages.pages.cursor');
    if (next === undefined || next === null || seen.has(String(next))) return { items: pages.flat(), truncated: false };
    cursor = String(next);
    seen.add(cursor);
  }
}

/** Whether the latest messages already hold this text (a note whose answer was lost). */
export async function noteAlreadyThere(h: Helpdesk, conversation: Conversation, text: string, timeoutMs: number): Promise<boolean> {
  const messages = messagesCall(h);
  const answer = (await call(h, target(h, messages.path, conversation), 'GET', timeoutMs)).body;
  for (const item of await pageItems(h, messages, answer)) {
    const found = await evaluate(h, messages.text, item, 'api.messages.text');
    if (typeof found === 'string' && found.includes(text)) return true;
  }
  return false;
}

export async function postNote(h: Helpdesk, conversation: Conversation, text: string, timeoutMs: number): Promise<CallResult> {
  const note = h.descriptor.api?.note;
  if (!note) throw contractError(h, 'no api.note call is declared');
  const body = await evaluate(h, note.body, { text, conversation }, 'api.note.body');
  if (body === null || typeof body !== 'object') throw contractError(h, 'api.note.body does not produce an object');
  return call(h, target(h, note.path, conversation), 'POST', timeoutMs, body);
}
