// The scope of a data-subject request: the person's own records (chats, returns, their
// integrations and webhook deliveries, by the registry's `collect` rules), and what the person
// is known by in them (e-mails, names, CPF/CNPJ, phones), which finds and scrubs the copies.

import type { Queryable } from '../store/db.js';
import type { Identifiers } from '../domain/data-subject.js';
import type { Known } from '../domain/data-subject-scrub.js';
import { mentionPattern } from '../domain/data-subject.js';
import { REGISTRY, personalColumns, type ScopeList, type TableEntry } from './registry.js';

/**
 * The bound lists (the identifiers asked for and the collected ids) select the person's own
 * rows; `known` (what the records add: other e-mails, names, CPF/CNPJ, phones) only finds and
 * scrubs copies, so it never widens what is deleted.
 */
export interface Scope extends Identifiers {
  chats: string[];
  returns: string[];
  integrations: string[];
  deliveries: string[];
  known: Known;
}

export interface ErpRecord { source: 'integration' | 'return'; id: string; clientCode: string | null; erpProcessNumber: string }

const LISTS = ['chats', 'returns', 'integrations', 'deliveries', 'clientCodes', 'emails', 'taxIds', 'phones'] as const;
type Bound = Pick<Scope, (typeof LISTS)[number]>;

/** Binds the registry's `:list` names (never `::casts`) as numbered parameters after `offset` others. */
export function bind(sql: string, scope: Bound, offset = 0): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const index = new Map<string, number>();
  const text = sql.replace(/(?<!:):([a-zA-Z]+)\b/g, (whole, name: string) => {
    if (!(LISTS as readonly string[]).includes(name)) return whole;
    if (!index.has(name)) {
      values.push(scope[name as (typeof LISTS)[number]]);
      index.set(name, offset + values.length);
    }
    return `$${index.get(name)}`;
  });
  return { text, values };
}

const uniq = (list: Array<string | null | undefined>) => [...new Set(list.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()))];

const COLLECT_ORDER: ScopeList[] = ['chats', 'returns', 'integrations', 'deliveries'];

/** Seeds skip a list's collection (retention starts from chats or returns it chose). */
export async function collectScope(q: Queryable, ids: Identifiers, seeds: Partial<Record<ScopeList, string[]>> = {}): Promise<Scope> {
  const scope: Scope = { ...ids, chats: [], returns: [], integrations: [], deliveries: [], known: { emails: [], taxIds: [], phones: [], names: [], companyNames: [] } };
  for (const list of COLLECT_ORDER) {
    if (seeds[list]) {
      scope[list] = seeds[list]!;
      continue;
    }
    const entry = REGISTRY.find((e) => e.collect?.into === list)!;
    const { text, values } = bind(`SELECT id::text AS id FROM ${entry.table} WHERE ${entry.collect!.where}`, scope);
    scope[list] = (await q.query<{ id: string }>(text, values)).rows.map((r) => r.id);
    // A person found by CPF or phone is also the addressee of returns and mail to their chats' e-mails.
    if (list === 'chats' && !seeds.chats) scope.emails = uniq([...scope.emails, ...(await chatEmails(q, scope.chats))]);
  }
  await addKnown(q, scope);
  return scope;
}

async function chatEmails(q: Queryable, chats: string[]): Promise<string[]> {
  const { rows } = await q.query<{ email: string }>('SELECT DISTINCT lower(client_email) AS email FROM chats WHERE id = ANY($1::uuid[]) AND client_email IS NOT NULL', [chats]);
  return rows.map((r) => r.email);
}

/** What the person is known by in their own records, added to what was asked for. */
async function addKnown(q: Queryable, scope: Scope): Promise<void> {
  const { rows: chats } = await q.query<{ email: string | null; alt: string | null; tax: string; phone: string; name: string | null; company: string | null }>(
    `SELECT client_email AS email, lower(client->>'email') AS alt, ponte_tax_key(client->>'taxId') AS tax, ponte_phone_key(client->>'phone') AS phone,
            client->>'name' AS name, client->>'companyName' AS company
       FROM chats WHERE id = ANY($1::uuid[])`,
    [scope.chats],
  );
  const { rows: returns } = await q.query<{ email: string; person: string | null }>(
    'SELECT lower(client_email) AS email, contact_person AS person FROM returns WHERE id = ANY($1::uuid[])', [scope.returns],
  );
  const known = scope.known;
  known.emails = uniq([...scope.emails, ...chats.flatMap((c) => [c.email, c.alt]), ...returns.map((r) => r.email)].map((e) => e?.toLowerCase()));
  known.taxIds = uniq([...scope.taxIds, ...chats.map((c) => c.tax)]).filter((t) => t.length >= 11);
  known.phones = uniq([...scope.phones, ...chats.map((c) => c.phone)]).filter((p) => p.length >= 8);
  const { rows: others } = await q.query<{ name: string }>(
    `SELECT author_name AS name FROM messages WHERE chat_id = ANY($1::uuid[]) AND sender = 'client' AND author_name IS NOT NULL
     UNION SELECT to_name FROM mail_messages WHERE lower(to_address) = ANY($2) AND to_name IS NOT NULL
     UNION SELECT name FROM return_third_parties WHERE lower(email) = ANY($2) AND name IS NOT NULL`,
    [scope.chats, known.emails],
  );
  known.names = uniq([...chats.map((c) => c.name), ...returns.map((r) => r.person), ...others.map((o) => o.name)]);
  known.companyNames = uniq(chats.map((c) => c.company));
}

/** The ERP records of the scope, which ponte cannot erase: the admin handles them in the ERP. */
export async function erpRecords(q: Queryable, scope: Scope): Promise<ErpRecord[]> {
  const { rows } = await q.query<{ source: 'integration' | 'return'; id: string; client_code: string | null; number: string }>(
    `SELECT 'integration' AS source, id::text, client_code, erp_process_number AS number FROM integrations
      WHERE id = ANY($1::uuid[]) AND erp_process_number IS NOT NULL
     UNION ALL
     SELECT 'return', id::text, client_code, crm_process_number FROM returns WHERE id = ANY($2::uuid[]) AND crm_process_number IS NOT NULL
     ORDER BY 4, 2`,
    [scope.integrations, scope.returns],
  );
  return rows.map((r) => ({ source: r.source, id: r.id, clientCode: r.client_code, erpProcessNumber: r.number }));
}

/** SQL condition: the row belongs to the person (never NULL). */
export function ownedSql(entry: TableEntry): string {
  return entry.owned ? `coalesce((${entry.owned}), false)` : 'false';
}

/** SQL condition on a row's personal columns: one mentions an identifier (regex bound as $n). */
export function mentionSql(entry: TableEntry, param: string): string | null {
  const cols = personalColumns(entry);
  if (!cols.length) return null;
  return `(${cols.map((c) => `${c}::text ~* ${param}::text`).join(' OR ')})`;
}

/** The regex finding the person's strong identifiers (names are never searched for: too common). */
export function mentionRegex(scope: Scope): string | null {
  return mentionPattern(scope.known);
}
