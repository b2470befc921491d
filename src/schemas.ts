// Loads the JSON Schemas in schemas/ (data, not code): API bodies go to Fastify (and so to
// OpenAPI at /docs); the connector formats and neutral records are read by src/connectors/.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';

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

/** The files of each folder, read once per process (a start reads schemas/api for several owners). */
const read = new Map<string, Promise<Array<{ file: string; text: string }>>>();

function readFolder(subdir: string): Promise<Array<{ file: string; text: string }>> {
  let files = read.get(subdir);
  if (!files) {
    files = walk(path.join(SCHEMAS_DIR, subdir)).then((names) => Promise.all(names.map(async (file) => ({ file, text: await readFile(file, 'utf8') }))));
    read.set(subdir, files);
    files.catch(() => read.delete(subdir));
  }
  return files;
}

/** The schemas of a folder of schemas/, parsed anew for each caller (who may add to them). */
export async function loadSchemas(subdir: string): Promise<SchemaFile[]> {
  return (await readFolder(subdir)).map(({ file, text }) => {
    const schema = JSON.parse(text);
    if (typeof schema.$id !== 'string') throw new Error(`schema ${path.relative(PROJECT_ROOT, file)} has no $id`);
    return { file, schema };
  });
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

/**
 * For the schemas ponte ships (the files in schemas/, those its code writes, Fastify's route
 * schemas): test/schemas/shipped-schemas.test.ts checks each against its meta-schema, so ajv does
 * not compile the meta-schema again at every start (≈25 ms per instance). Schemas a deployment
 * writes (a mapping set's payloads) are compiled by an instance that checks them.
 */
export const SHIPPED_SCHEMA_OPTIONS = { validateSchema: false } as const;

/** An ajv instance for the schemas ponte ships (see SHIPPED_SCHEMA_OPTIONS). */
export function shippedAjv(options: Options = {}): Ajv {
  return new Ajv({ ...options, ...SHIPPED_SCHEMA_OPTIONS });
}
