// ponte compiles the schemas it ships without checking them against their meta-schema at start
// (src/schemas.ts shippedAjv): this is where they are checked instead. Every file in schemas/,
// the settings table's schemas and the tool providers' config schemas must be valid JSON Schema
// (draft-07, ajv's default); a broken one fails here, not as odd validation in production.
// Route schemas written in src/http are checked by the OpenAPI lint of .ci/run.

import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { loadSchemas, shippedAjv } from '../../src/schemas.js';
import { SETTINGS } from '../../src/config.js';
import { manifest as remoteAccess } from '../../connectors/remote-access/index.js';
import { manifest as updater } from '../../connectors/updater/index.js';

const checker = new Ajv({ strict: false, allErrors: true });
addFormats.default(checker);

function problems(schema: object): string | null {
  return checker.validateSchema(schema) ? null : checker.errorsText(checker.errors);
}

describe('the schemas ponte ships are valid JSON Schema', () => {
  it('every file in schemas/', async () => {
    const files = (await Promise.all(['api', 'events', 'helpdesks', 'connectors'].map((dir) => loadSchemas(dir)))).flat();
    expect(files.length).toBeGreaterThan(100);
    const bad = files.map(({ file, schema }) => ({ file, problem: problems(schema) })).filter((f) => f.problem);
    expect(bad).toEqual([]);
  });

  it("the settings table's schemas and the tool providers' config schemas", () => {
    const written = [...SETTINGS.map((s) => ({ name: s.env, schema: s.schema })), { name: 'remote-access', schema: remoteAccess.configSchema }, { name: 'updater', schema: updater.configSchema }];
    expect(written.filter(({ schema }) => problems(schema)).map(({ name }) => name)).toEqual([]);
  });

  it('refuses what only the meta-schema knows is wrong, which a shipped instance compiles without a word', () => {
    const broken = { type: 'object', required: ['code', 'code'], properties: { code: { type: 'string' } } };
    expect(problems(broken)).toMatch(/duplicate items/);
    expect(() => new Ajv({ strict: false }).compile(broken)).toThrow(/schema is invalid/);
    expect(() => shippedAjv({ strict: false }).compile(broken)).not.toThrow();
  });
});
