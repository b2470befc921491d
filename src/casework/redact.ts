// What a return looks like to a caller without some permissions: without view_client_data
// the client's e-mail, code and contact person are blanked (in the timeline and the history
// too); without see_private_notes only the entries the client can see are listed.

import type { Permission } from '../domain/permissions.js';

const HIDDEN = '[oculto]';
/** History fields that hold client data. */
const CLIENT_FIELDS = ['clientEmail', 'clientCode', 'contactPerson'];

interface EntryLike { visibleToClient: boolean; author: { kind: string; name: string | null }; text: string; html: string | null; data?: unknown; quoted?: string }
interface ReturnLike { clientEmail?: string | null; clientCode?: string | null; contactPerson?: string | null; timeline?: EntryLike[] }
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
  if (!permissions.has('view_client_data')) Object.assign(out, { clientEmail: null, clientCode: null, contactPerson: null, clientDataHidden: true });
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
