// The build compiles the mapping-file formats once (scripts/compile-formats.mjs) and a compiled
// ponte checks mapping sets with that code: it must judge every file as the formats compiled at
// start do — the shipped sets pass, and a broken file fails with the same first problems. (dist/
// is built by the global setup.)

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/schemas.js';

type Formats = { connector: ValidateFunction; outcomes: ValidateFunction };

const json = (file: string) => JSON.parse(readFileSync(path.join(PROJECT_ROOT, file), 'utf8')) as Record<string, any>;

let compiled: Formats;
let atStart: Formats;

beforeAll(() => {
  compiled = createRequire(import.meta.url)(path.join(PROJECT_ROOT, 'dist/schemas/connectors/mapping/compiled.cjs')) as Formats;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const outcomes = ajv.compile(json('schemas/connectors/mapping/outcomes.json'));
  atStart = { outcomes, connector: ajv.compile(json('schemas/connectors/mapping/connector.json')) };
});

function verdicts(kind: keyof Formats, doc: unknown) {
  const judge = (f: Formats) => (f[kind](doc) ? [] : f[kind].errors!.map((e) => `${e.instancePath} ${e.keyword} ${e.message}`));
  return { compiled: judge(compiled), atStart: judge(atStart) };
}

describe('the mapping formats compiled by the build', () => {
  it.each(['bimer', 'bimer-core', 'soap-crm'])('pass the connector.json of the shipped %s set as the formats compiled at start do', (set) => {
    expect(verdicts('connector', json(`mappings/${set}/connector.json`))).toEqual({ compiled: [], atStart: [] });
  });

  it.each(['bimer', 'bimer-core'])('pass the outcome rules of the shipped %s set as the formats compiled at start do', (set) => {
    expect(verdicts('outcomes', json(`mappings/${set}/outcomes.json`))).toEqual({ compiled: [], atStart: [] });
  });

  it('refuse a broken connector.json and outcome rules with the same problems', () => {
    const connector = json('mappings/bimer/connector.json');
    connector.calls.getClient.request.verb = 'GET';
    delete connector.kind;
    const broken = verdicts('connector', connector);
    expect(broken.compiled.length).toBeGreaterThan(0);
    expect(broken.compiled).toEqual(broken.atStart);

    const outcomes = { rules: [{ when: { status: 'many' }, outcome: 'maybe' }] };
    const refused = verdicts('outcomes', outcomes);
    expect(refused.compiled.length).toBeGreaterThan(0);
    expect(refused.compiled).toEqual(refused.atStart);
  });
});
