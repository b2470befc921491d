// Declarative mappings: mappings/<connector>/<operation>.jsonata turns a neutral record
// (CaseRecord, OpinionRecord, NotifyRecord) into the connector's payload. Loaded at start,
// so a deployment changes a mapping by editing the file and restarting, without a rebuild.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import jsonata from 'jsonata';
import { PROJECT_ROOT } from '../schemas.js';
import { ConnectorError } from '../errors.js';

export const MAPPINGS_DIR = path.join(PROJECT_ROOT, 'mappings');

type Expression = ReturnType<typeof jsonata>;

export class Mappings {
  private constructor(private readonly expressions: Map<string, Expression>) {}

  static async load(connector: string, operations: readonly string[], dir = MAPPINGS_DIR): Promise<Mappings> {
    const folder = path.join(dir, connector);
    const files = new Set(await readdir(folder).catch(() => [] as string[]));
    const expressions = new Map<string, Expression>();
    for (const op of operations) {
      const file = `${op}.jsonata`;
      if (!files.has(file)) throw new Error(`mapping ${path.join('mappings', connector, file)} is missing`);
      const source = await readFile(path.join(folder, file), 'utf8');
      try {
        expressions.set(op, jsonata(source));
      } catch (err) {
        throw new Error(`mapping ${path.join('mappings', connector, file)} does not parse: ${(err as Error).message}`, { cause: err });
      }
    }
    return new Mappings(expressions);
  }

  async apply(operation: string, input: unknown): Promise<Record<string, unknown>> {
    const expr = this.expressions.get(operation);
    if (!expr) throw ConnectorError.permanent('MAPPING_MISSING', `no mapping for operation ${operation}`);
    try {
      const out = await expr.evaluate(input);
      if (out === null || typeof out !== 'object' || Array.isArray(out)) throw new Error('the mapping must produce an object');
      return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
    } catch (err) {
      throw ConnectorError.permanent('MAPPING_FAILED', `mapping ${operation} failed: ${(err as Error).message}`, { cause: err });
    }
  }
}
