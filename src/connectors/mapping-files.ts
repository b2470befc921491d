// Reading a mapping set's files: JSON checked against its format (schemas/connectors/mapping/),
// JSONata compiled where it is written (inline or a .jsonata file beside it), payload schemas
// compiled. Every problem is one MappingFileError naming the file and what is wrong.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SCHEMAS_DIR } from '../schemas.js';
import { Expression, MappingFileError } from './expression.js';

export const FORMAT_DIR = path.join(SCHEMAS_DIR, 'connectors', 'mapping');
/** The formats compiled by the build (scripts/compile-formats.mjs); absent when run from sources. */
const COMPILED_FORMATS = path.join(FORMAT_DIR, 'compiled.cjs');

/** How a file is named in messages: relative to the working directory when inside it. */
export function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new MappingFileError(shown(file), (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new MappingFileError(shown(file), `is not valid JSON: ${(err as Error).message}`);
  }
}

/** The most telling of ajv's errors: the deepest one, skipping anyOf's summary. */
function firstProblem(errors: ErrorObject[]): string {
  const candidates = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'if');
  const e = [...(candidates.length ? candidates : errors)].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0]!;
  const params = e.params as { additionalProperty?: string; allowedValues?: unknown[] };
  const at = e.instancePath || '(top level)';
  if (params.additionalProperty) return `${at} has an unknown field "${params.additionalProperty}"`;
  if (params.allowedValues) return `${at} ${e.message}: ${params.allowedValues.join(', ')}`;
  return `${at} ${e.message}`;
}

export class FileFormats {
  private constructor(
    readonly connector: ValidateFunction,
    readonly outcomes: ValidateFunction,
    private readonly ajv: Ajv,
  ) {}

  static async load(): Promise<FileFormats> {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    if (existsSync(COMPILED_FORMATS)) {
      const compiled = createRequire(import.meta.url)(COMPILED_FORMATS) as { connector: ValidateFunction; outcomes: ValidateFunction };
      return new FileFormats(compiled.connector, compiled.outcomes, ajv);
    }
    const outcomes = ajv.compile((await readJson(path.join(FORMAT_DIR, 'outcomes.json'))) as object);
    const connector = ajv.compile((await readJson(path.join(FORMAT_DIR, 'connector.json'))) as object);
    return new FileFormats(connector, outcomes, ajv);
  }

  check(validate: ValidateFunction, value: unknown, file: string): void {
    if (!validate(value)) throw new MappingFileError(shown(file), firstProblem(validate.errors ?? []));
  }

  /** A payload schema of the set (payloads/<call>.json), compiled on its own so $ids never clash. */
  async payloadSchema(file: string): Promise<ValidateFunction> {
    const schema = (await readJson(file)) as Record<string, unknown>;
    const { $id: _ignored, ...rest } = schema;
    try {
      return this.ajv.compile(rest);
    } catch (err) {
      throw new MappingFileError(shown(file), `is not a usable JSON Schema: ${(err as Error).message}`);
    }
  }
}

export type ExprSource = string | { file: string };

/** Compiles an expression written at `pointer` of `file` (a string, or `{file}` beside it). */
export async function compile(source: ExprSource, file: string, pointer: string): Promise<Expression> {
  if (typeof source === 'string') return new Expression(source, { file: shown(file), pointer });
  const target = path.resolve(path.dirname(file), source.file);
  if (path.relative(path.dirname(file), target).startsWith('..')) throw new MappingFileError(shown(file), `${pointer}: ${source.file} is outside the mapping set's folder`);
  let text: string;
  try {
    text = await readFile(target, 'utf8');
  } catch {
    throw new MappingFileError(shown(target), `file not found (referenced from ${shown(file)} ${pointer})`);
  }
  return new Expression(text, { file: shown(target), pointer: '' });
}

/**
 * A path template: literal text with {JSONata} parts (braces balanced, so a regex like \d{1,6}
 * inside a part is fine).
 */
export async function compileTemplate(template: string, file: string, pointer: string): Promise<Array<string | Expression>> {
  const parts: Array<string | Expression> = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== '{') {
      text += template[i];
      continue;
    }
    let depth = 1;
    let j = i + 1;
    for (; j < template.length && depth > 0; j++) depth += template[j] === '{' ? 1 : template[j] === '}' ? -1 : 0;
    if (depth > 0) throw new MappingFileError(shown(file), `${pointer}: "{" at character ${i} is never closed`);
    if (text) parts.push(text);
    text = '';
    parts.push(await compile(template.slice(i + 1, j - 1), file, `${pointer} part ${parts.length}`));
    i = j - 1;
  }
  if (text) parts.push(text);
  return parts;
}
