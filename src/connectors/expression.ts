// A JSONata expression of a mapping set, compiled once at load and named by where it was
// written (file and JSON pointer), so an evaluation error tells the admin which mapping failed.

import { jsonata } from '../jsonata.js';
import { ConnectorError } from '../errors.js';

export class MappingFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** Where a mapping came from: "mappings/bimer/connector.json#/calls/getClient/answer/record". */
export interface Origin { file: string; pointer: string }

/** JSONata's undefined values and sequences, turned into plain JSON (no undefined keys, real arrays). */
export function plain(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

export class Expression {
  private readonly compiled: ReturnType<typeof jsonata>;

  constructor(
    readonly source: string,
    readonly origin: Origin,
  ) {
    try {
      this.compiled = jsonata(source);
    } catch (err) {
      const e = err as { message?: string; position?: number };
      throw new MappingFileError(origin.file, `${origin.pointer} does not parse: ${e.message ?? String(err)}${e.position !== undefined ? ` (at character ${e.position})` : ''}`);
    }
  }

  get where(): string {
    return `${this.origin.file}#${this.origin.pointer}`;
  }

  /** Evaluates over `input` with `$name` bindings; a failure is MAPPING_FAILED naming the call and the mapping. */
  async evaluate(input: unknown, bindings: Record<string, unknown>, call: string): Promise<unknown> {
    try {
      return plain(await this.compiled.evaluate(input, bindings));
    } catch (err) {
      throw ConnectorError.permanent('MAPPING_FAILED', `${call}: mapping ${this.where} failed: ${(err as Error).message}`, { cause: err });
    }
  }
}
