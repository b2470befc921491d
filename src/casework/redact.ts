// What a return looks like to a caller without some permissions: without view_client_data
// the client's e-mail, code and contact person are blanked (in the timeline and the history
// too); without see_private_notes only the entries the client can see are listed. Chats,
// their details and the integration form hide the client's identity the same way
// (redactClientData), and third parties invited to a return are client data too.

import type { Permission } from '../domain/permissions.js';

const HIDDEN = '[oculto]';
/** History fields that hold client data. */
const CLIENT_FIELDS = ['clientEmail', 'clientCode', 'contactPerson'];

interface EntryLike { visibleToClient: boolean; author: { kind: string; name: string | null }; text: string; html: string | null; data?: unknown; quoted?: string }
interface ReturnLike { clientEmail?: string | null; clientCode?: string | null; contactPerson?: string | null; timeline?: EntryLike[]; portalToken?: string; portalUrl?: string }
export interface ClientFacts { email: string | null; contactPerson: string | null }

const secretsOf = (client: ClientFacts) => [client.email, client.contactPerson].filter((s): s is string => !!s && s.length >= 3);

/** Every string inside `value` with the secrets blanked; structure and other values kept. */
function scrub<T>(value: T, secrets: string[]): T {
  if (typeof value === 'string') return secrets.reduce((s, secret) => s.split(secret).join(HIDDEN), value as string) as T;
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, secrets)])) as T;
  return value;
}

/** One entry as the caller may see it; undefined when it is a private note they may not read. */
export function redactEntry<E extends EntryLike>(entry: E, client: ClientFacts, permissions: ReadonlySet<Permission>): E | undefined {
  if (!entry.visibleToClient && !permissions.has('see_private_notes')) return undefined;
  if (permissions.has('view_client_data')) return entry;
  const scrubbed = scrub(entry, secretsOf(client));
  return { ...scrubbed, author: entry.author.kind === 'client' ? { ...entry.author, name: HIDDEN } : scrubbed.author };
}

export function redactReturn<R extends ReturnLike>(view: R, permissions: ReadonlySet<Permission>): R {
  const client = { email: view.clientEmail ?? null, contactPerson: view.contactPerson ?? null };
  const out: R = { ...view };
  if (view.timeline) {
    out.timeline = view.timeline.map((e) => redactEntry(e, client, permissions)).filter((e): e is EntryLike => e !== undefined);
  }
  if (!permissions.has('view_client_data')) {
    Object.assign(out, { clientEmail: null, clientCode: null, contactPerson: null, clientDataHidden: true });
    // A portal link opens the client's side of the return: same permission.
    delete out.portalToken;
    delete out.portalUrl;
  }
  if (!permissions.has('see_private_notes') && view.timeline) Object.assign(out, { privateNotesHidden: true });
  return out;
}

/** The history without client data: those fields' from/to blanked, the rest scrubbed. */
export function redactHistory<H extends { changes: Record<string, unknown> }>(items: H[], client: ClientFacts, permissions: ReadonlySet<Permission>): H[] {
  if (permissions.has('view_client_data')) return items;
  const secrets = secretsOf(client);
  return items.map((h) => ({
    ...scrub(h, secrets),
    changes: Object.fromEntries(Object.entries(scrub(h.changes, secrets)).map(([k, v]) => [k, CLIENT_FIELDS.includes(k) ? { from: HIDDEN, to: HIDDEN } : v])),
  }));
}

/** Fields of chat answers that name or reach the client. */
const CHAT_CLIENT_FIELDS = new Set(['client', 'contact', 'companyName', 'clientCode', 'taxId', 'phone', 'clientEmail', 'contactPerson']);

/** Fields inside client data that classify it without naming anyone (a CPF or a CNPJ). */
const CLASSIFIERS = new Set(['kind']);

/** Strings hidden, structure kept (null stays null, flags, numbers and classifiers stay). */
function hide(value: unknown): unknown {
  if (typeof value === 'string') return HIDDEN;
  if (Array.isArray(value)) return value.map(hide);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, CLASSIFIERS.has(k) ? v : hide(v)]));
  return value;
}

/** The client's identifying strings found in a chat answer (its client fields and client authors). */
function clientStrings(value: unknown, found: Set<string>, depth = 0, inClient = false): Set<string> {
  if (depth > 8) return found;
  if (typeof value === 'string') {
    if (inClient && value.length >= 3) found.add(value);
    return found;
  }
  if (!value || typeof value !== 'object') return found;
  const fromClient = (value as { from?: unknown }).from === 'client';
  for (const [key, child] of Object.entries(value)) {
    clientStrings(child, found, depth + 1, inClient || CHAT_CLIENT_FIELDS.has(key) || (key === 'authorName' && fromClient));
  }
  return found;
}

function redactNode(value: unknown, secrets: string[], depth: number): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (depth > 8 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactNode(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  const fromClient = (value as { from?: unknown }).from === 'client';
  for (const [key, child] of Object.entries(value)) {
    if (CHAT_CLIENT_FIELDS.has(key) && child !== null) out[key] = hide(child);
    else if (key === 'authorName' && fromClient && typeof child === 'string') out[key] = HIDDEN;
    else out[key] = redactNode(child, secrets, depth + 1);
  }
  return out;
}

/**
 * A chat answer (view, list, details, messages, integration form) without the client's
 * identity: its fields hidden, and those names and addresses blanked wherever else they
 * appear (a transcript, an opinion prefill).
 */
export function redactClientData<T>(payload: T, known?: unknown): T {
  if (!payload || typeof payload !== 'object') return payload;
  // `known`: the client as ponte holds it, for answers that only carry free text (a live message).
  const found = known === undefined ? new Set<string>() : clientStrings(known, new Set(), 0, true);
  const secrets = [...clientStrings(payload, found)].sort((x, y) => y.length - x.length);
  const out = redactNode(payload, secrets, 0) as Record<string, unknown>;
  return (Array.isArray(payload) ? out : { ...out, clientDataHidden: true }) as T;
}

/** Third parties of a return (the client's accountant, a relative...) without name and e-mail. */
export function redactThirdParties<P extends { email?: unknown; name?: unknown }>(items: P[], permissions: ReadonlySet<Permission>): P[] {
  if (permissions.has('view_client_data')) return items;
  return items.map((p) => ({ ...p, email: HIDDEN, name: p.name === null ? null : HIDDEN }));
}
