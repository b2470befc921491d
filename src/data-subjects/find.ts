// Find (LGPD art. 18 I-II, confirmation and access): what ponte holds about one person,
// counted by kind over every table of the registry, copies included.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { parseMatch, type Identifiers, type MatchInput } from '../domain/data-subject.js';
import { REGISTRY, type Kind, type TableEntry } from './registry.js';
import { collectScope, erpRecords, type ErpRecord, type Scope } from './scope.js';
import { countRows } from './rows.js';

/** A search over every table must not hold a connection for ever. */
export const FIND_TIMEOUT_MS = 60_000;

/** The kinds every answer lists (0 when nothing), in the order, then the others. */
export const KINDS: Kind[] = [
  'chats', 'messages', 'attachments', 'returns', 'timelineEntries', 'mail', 'integrations', 'attempts', 'webhookDeliveries', 'auditEntries',
  'webhookAttempts', 'tasks', 'thirdParties', 'remoteSessions', 'versionReleases', 'erpEvents', 'clientMarkers', 'productVersions',
  'idempotentAnswers', 'queuedJobs',
];

/** The key a table's rows are counted and exported under: its kind, or its name when it has none. */
export const kindOf = (entry: TableEntry): string => entry.kind ?? entry.table;

export interface Found {
  match: Identifiers;
  /** Per kind; a table the registry gives no kind is counted under its own name. */
  counts: Record<string, number>;
  /** Rows that belong to another record and only mention the person (scrubbed, never deleted). */
  mentions: Record<string, number>;
  total: number;
  erpRecords: ErpRecord[];
}

/** Runs `fn` on the person's scope inside one read transaction with a time bound. */
export async function withScope<T>(deps: Deps, input: MatchInput, fn: (q: Queryable, scope: Scope, ids: Identifiers) => Promise<T>): Promise<T> {
  const ids = parseMatch(input);
  return deps.db.tx(async (q) => {
    await q.query(`SET LOCAL statement_timeout = ${FIND_TIMEOUT_MS}`);
    const scope = await collectScope(q, ids);
    return fn(q, scope, ids);
  });
}

export async function countScope(q: Queryable, scope: Scope): Promise<Pick<Found, 'counts' | 'mentions' | 'total'>> {
  const counts: Record<string, number> = Object.fromEntries(KINDS.map((k) => [k, 0]));
  const mentions = { ...counts };
  for (const entry of REGISTRY) {
    const n = await countRows(q, entry, scope);
    if (!n.owned && !n.mentioned && !entry.kind) continue;
    counts[kindOf(entry)] = (counts[kindOf(entry)] ?? 0) + n.owned + n.mentioned;
    mentions[kindOf(entry)] = (mentions[kindOf(entry)] ?? 0) + n.mentioned;
  }
  return { counts, mentions, total: Object.values(counts).reduce((a, b) => a + b, 0) };
}

export async function findSubject(deps: Deps, input: MatchInput): Promise<Found> {
  return withScope(deps, input, async (q, scope, ids) => ({ match: ids, ...(await countScope(q, scope)), erpRecords: await erpRecords(q, scope) }));
}
