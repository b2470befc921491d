// The neutral records' JSON Schemas (schemas/connectors/records/), compiled once: every answer
// mapping's output is checked against them, so a mapping that does not fit the ERP's answer is a
// CONNECTOR_CONTRACT_MISMATCH naming the call and the JSON path — never an empty list or a null.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import addFormats from 'ajv-formats';
import { ConnectorError } from '../errors.js';
import { SCHEMAS_DIR, compiledOnFirstUse, shippedAjv, type Validate } from '../schemas.js';
import type { CallShape } from './calls.js';

export const RECORDS_DIR = path.join(SCHEMAS_DIR, 'connectors', 'records');

/** How much of what came back a mismatch quotes. */
const QUOTE = 300;

export function quote(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > QUOTE ? `${text.slice(0, QUOTE)}…` : text;
}

export function mismatch(call: string, path: string, problem: string, got: unknown): ConnectorError {
  return ConnectorError.permanent('CONNECTOR_CONTRACT_MISMATCH', `${call}: the answer does not fit the mapping: ${path} ${problem} (got ${quote(got)})`, {
    details: [{ path, message: problem, call, got: quote(got) }],
  });
}

export class RecordValidator {
  private constructor(private readonly byName: Map<string, Validate>) {}

  static async load(dir = RECORDS_DIR): Promise<RecordValidator> {
    const ajv = shippedAjv({ allErrors: false, strict: true });
    addFormats.default(ajv);
    const byName = new Map<string, Validate>();
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
      const schema = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as object;
      byName.set(file.replace(/\.json$/, ''), compiledOnFirstUse(() => ajv.compile(schema)));
    }
    return new RecordValidator(byName);
  }

  /**
   * Checks a call's output; `sources` are the answer's raw records, quoted in the error so the
   * admin sees what came back. Throws CONNECTOR_CONTRACT_MISMATCH.
   */
  check(call: string, shape: CallShape, output: unknown, sources: unknown[]): void {
    if (!shape.record) return;
    const validate = this.byName.get(shape.record);
    if (!validate) throw new Error(`no schema for the ${shape.record} record in ${RECORDS_DIR}`);
    const one = (record: unknown, at: string, source: unknown) => {
      if (validate(record)) return;
      const e = validate.errors![0]!;
      const where = `${at}${e.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}`;
      const missing = (e.params as { missingProperty?: string }).missingProperty;
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      const field = missing ? `${where}.${missing}` : extra ? `${where}.${extra}` : where;
      const problem = missing ? 'is required' : extra ? 'is not a field of the neutral record' : (e.message ?? 'is invalid');
      throw mismatch(call, field, problem, source ?? record);
    };
    if (shape.output === 'list') {
      if (!Array.isArray(output)) throw mismatch(call, '$', 'must be a list of records', output);
      output.forEach((r, i) => one(r, `$[${i}]`, sources[i]));
    } else if (output === undefined) throw mismatch(call, '$', 'is missing: the answer holds no record', sources[0]);
    else if (output !== null) one(output, '$', sources[0]);
  }
}
