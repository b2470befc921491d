// Loads the JSON Schemas in schemas/ (data, not code): API bodies go to Fastify (and so to
// OpenAPI at /docs); the connector formats and neutral records are read by src/connectors/.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMAS_DIR = path.join(PROJECT_ROOT, 'schemas');

export interface SchemaFile { file: string; schema: Record<string, unknown> & { $id: string } }

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : Promise.resolve(e.name.endsWith('.json') ? [path.join(dir, e.name)] : []))),
  );
  return nested.flat().sort();
}

export async function loadSchemas(subdir: string): Promise<SchemaFile[]> {
  const files = await walk(path.join(SCHEMAS_DIR, subdir));
  return Promise.all(
    files.map(async (file) => {
      const schema = JSON.parse(await readFile(file, 'utf8'));
      if (typeof schema.$id !== 'string') throw new Error(`schema ${path.relative(PROJECT_ROOT, file)} has no $id`);
      return { file, schema };
    }),
  );
}

/** What ponte calls of an ajv validator: the check, and the errors of its last call. */
export type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * A validator compiled on its first call, not when its owner is made: compiling is most of what
 * a schema costs, and a start should not pay for the checks no request has needed yet.
 */
export function compiledOnFirstUse(compile: () => ValidateFunction): Validate {
  let validate: ValidateFunction | undefined;
  const lazy: Validate = (data) => {
    validate ??= compile();
    const valid = validate(data);
    lazy.errors = validate.errors;
    return valid;
  };
  return lazy;
}
