// Loads the JSON Schemas in schemas/ (data, not code): API bodies go to Fastify (and so to
// OpenAPI at /docs), connector payload schemas to an ajv validator used before each ERP call.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

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

/** Validates connector payloads against schemas/connectors/<connector>/<operation>.json. */
export class PayloadValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly byKey = new Map<string, ValidateFunction>();

  constructor(files: SchemaFile[]) {
    addFormats.default(this.ajv);
    for (const { file, schema } of files) {
      const rel = path.relative(path.join(SCHEMAS_DIR, 'connectors'), file).replace(/\.json$/, '');
      this.byKey.set(rel.split(path.sep).join('/'), this.ajv.compile(schema));
    }
  }

  /** Returns the list of problems, empty when valid; throws when no schema exists. */
  validate(connector: string, operation: string, payload: unknown): Array<{ path: string; message: string }> {
    const fn = this.byKey.get(`${connector}/${operation}`);
    if (!fn) throw new Error(`no schema for ${connector}/${operation} in schemas/connectors`);
    if (fn(payload)) return [];
    return (fn.errors ?? []).map((e) => ({
      path: [e.instancePath.split('/').filter(Boolean).join('.'), e.params?.missingProperty].filter(Boolean).join('.') || '(payload)',
      message: e.message ?? 'invalid',
    }));
  }
}
