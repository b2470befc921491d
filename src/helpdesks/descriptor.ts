// A helpdesk adapter is files, not code: mappings/helpdesks/<name>.json (signature scheme,
// delivery header, API calls) and <name>.jsonata (payload → draft), validated at start.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { jsonata } from '../jsonata.js';
import { BUILTIN_MAPPINGS_DIR as MAPPINGS_DIR } from '../connectors/mapping-set.js';
import { loadSchemas, shippedAjv } from '../schemas.js';

export type Expression = ReturnType<typeof jsonata>;

export interface SignatureScheme {
  algorithm: 'sha1' | 'sha256' | 'sha512';
  header: string;
  prefix: string;
  signed: '{body}' | '{timestamp}.{body}';
  timestampHeader?: string;
  toleranceSeconds: number;
}

export interface MessagesCall {
  path: string;
  items: Expression;
  text: Expression;
  pages?: { param: string; cursor: Expression; size: number };
}

export interface HelpdeskApi {
  auth: { header: string; value: string };
  messages?: MessagesCall;
  note?: { path: string; body: Expression };
}

export interface HelpdeskDescriptor {
  name: string;
  label: string;
  settingsPrefix: string;
  signature: SignatureScheme;
  deliveryHeader?: string;
  api?: HelpdeskApi;
  mapping: Expression;
}

export const HELPDESKS_DIR = path.join(MAPPINGS_DIR, 'helpdesks');

/**
 * Guardrails of every helpdesk expression: a runaway mapping is stopped. Wall-clock time, so it
 * leaves room for a busy machine; a pass of MESSAGES_PER_PASS normally takes tens of milliseconds.
 */
const LIMITS = { timeout: 5000, stack: 400 };

function compile(source: string, where: string): Expression {
  try {
    return jsonata(source, LIMITS as Parameters<typeof jsonata>[1]);
  } catch (err) {
    throw new Error(`${where} does not parse: ${(err as Error).message}`, { cause: err });
  }
}

interface RawDescriptor {
  name: string;
  label: string;
  settingsPrefix: string;
  signature: Omit<SignatureScheme, 'prefix' | 'toleranceSeconds'> & { prefix?: string; toleranceSeconds?: number };
  deliveryHeader?: string;
  api?: {
    auth: { header: string; value: string };
    messages?: { path: string; items: string; text: string; pages?: { param: string; cursor: string; size: number } };
    note?: { path: string; body: string };
  };
}

function build(raw: RawDescriptor, mapping: Expression, file: string): HelpdeskDescriptor {
  const { signature, api } = raw;
  if (signature.signed.includes('{timestamp}') && !signature.timestampHeader) throw new Error(`${file}: signature.signed uses {timestamp} but names no timestampHeader`);
  const expr = (source: string, field: string) => compile(source, `${file} ${field}`);
  return {
    name: raw.name,
    label: raw.label,
    settingsPrefix: raw.settingsPrefix,
    signature: { ...signature, prefix: signature.prefix ?? '', toleranceSeconds: signature.toleranceSeconds ?? 300 },
    deliveryHeader: raw.deliveryHeader,
    mapping,
    api: api && {
      auth: api.auth,
      messages: api.messages && {
        path: api.messages.path,
        items: expr(api.messages.items, 'api.messages.items'),
        text: expr(api.messages.text, 'api.messages.text'),
        pages: api.messages.pages && { ...api.messages.pages, cursor: expr(api.messages.pages.cursor, 'api.messages.pages.cursor') },
      },
      note: api.note && { path: api.note.path, body: expr(api.note.body, 'api.note.body') },
    },
  };
}

/** Every helpdesk of mappings/helpdesks/: a descriptor and its mapping, checked now so a bad file stops the start. */
export async function loadDescriptors(dir = HELPDESKS_DIR): Promise<HelpdeskDescriptor[]> {
  const ajv = shippedAjv({ allErrors: true, useDefaults: true });
  const [schema] = (await loadSchemas('helpdesks')).filter((s) => s.schema.$id === 'HelpdeskDescriptor');
  const validate = ajv.compile(schema!.schema);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  const out: HelpdeskDescriptor[] = [];
  for (const file of files) {
    const where = path.join('mappings', 'helpdesks', file);
    const raw = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as RawDescriptor;
    if (!validate(raw)) throw new Error(`${where} is invalid: ${ajv.errorsText(validate.errors, { dataVar: 'descriptor' })}`);
    if (`${raw.name}.json` !== file) throw new Error(`${where}: name "${raw.name}" must match the file name`);
    const mappingFile = path.join(dir, `${raw.name}.jsonata`);
    const source = await readFile(mappingFile, 'utf8').catch(() => {
      throw new Error(`mapping ${path.join('mappings', 'helpdesks', `${raw.name}.jsonata`)} is missing`);
    });
    out.push(build(raw, compile(source, `mapping mappings/helpdesks/${raw.name}.jsonata`), where));
  }
  return out;
}
