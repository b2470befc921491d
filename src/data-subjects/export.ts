// Export (LGPD art. 18 II and V, access and portability): one JSON document with everything
// find counts, in the API's own shapes, files as links to an admin download route.

import type { Deps } from '../deps.js';
import { PonteError } from '../errors.js';
import type { MatchInput } from '../domain/data-subject.js';
import { REGISTRY } from './registry.js';
import { erpRecords } from './scope.js';
import { scopeRows } from './rows.js';
import { countScope, kindOf, withScope, type Found } from './find.js';
import { shapeRow } from './shapes.js';

/** Beyond this many rows the document is refused: narrow the match (e.g. e-mail instead of client code). */
export const EXPORT_MAX_ROWS = 200_000;

export interface ExportDocument extends Found {
  generatedAt: string;
  /** Per kind (as counted), every row found (owned and mentioning), in the API's shapes. */
  items: Record<string, Record<string, unknown>[]>;
}

export async function exportSubject(deps: Deps, input: MatchInput): Promise<ExportDocument> {
  const ctx = { now: deps.clock.now(), returnsRetentionDays: deps.config.returnsRetentionDays };
  return withScope(deps, input, async (q, scope, ids) => {
    const counted = await countScope(q, scope);
    if (counted.total > EXPORT_MAX_ROWS) {
      throw new PonteError('EXPORT_TOO_LARGE', `${counted.total} rows match; at most ${EXPORT_MAX_ROWS} fit in one export: narrow the match`, { status: 422, details: [{ path: 'match', message: 'matches too many rows' }] });
    }
    const items: ExportDocument['items'] = {};
    for (const entry of REGISTRY) {
      for await (const page of scopeRows(q, entry, scope)) {
        (items[kindOf(entry)] ??= []).push(...page.map((row) => shapeRow(entry.table, row, ctx)));
      }
    }
    return { generatedAt: ctx.now.toISOString(), match: ids, ...counted, erpRecords: await erpRecords(q, scope), items };
  });
}
