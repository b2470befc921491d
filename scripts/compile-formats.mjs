// After the assets are copied (scripts/build.mjs): the mapping-file formats
// (schemas/connectors/mapping/*.json) compiled once into dist/ as ajv standalone code, so a
// compiled ponte checks a mapping set at start without compiling the formats again (the most
// costly part of reading a set). The same options as src/connectors/mapping-files.ts; from
// sources (tsx) the formats are compiled at start instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { default: Ajv } = require('ajv');
const { default: standaloneCode } = require('ajv/dist/standalone');

const DIR = 'schemas/connectors/mapping';
const read = (name) => JSON.parse(readFileSync(`${DIR}/${name}.json`, 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
const outcomes = read('outcomes');
const connector = read('connector');
ajv.addSchema(outcomes);
ajv.addSchema(connector);
writeFileSync(`dist/${DIR}/compiled.cjs`, standaloneCode(ajv, { outcomes: outcomes.$id, connector: connector.$id }));
