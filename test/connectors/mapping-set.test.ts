// A mapping set is checked whole at start: every file against its format, every JSONata
// compiled, every reference resolved. A bad file stops the start with one line naming the file
// and the problem.

import { afterEach, describe, expect, it } from 'vitest';
import { loadConnectorSet } from '../../src/connectors/registry.js';
import { BUILTIN_MAPPINGS_DIR, listMappingSets } from '../../src/connectors/mapping-set.js';
import { scratchSets, type ScratchSets } from '../support/mapping-sets.js';

let sets: ScratchSets | undefined;
afterEach(async () => {
  await sets?.remove();
  sets = undefined;
});

async function problemOf(change: (s: ScratchSets) => Promise<void>): Promise<string> {
  sets = await scratchSets('bimer');
  await change(sets);
  const err = await loadConnectorSet('bimer', sets.dir).then(() => undefined, (e: Error) => e);
  expect(err, 'the set should have been refused').toBeInstanceOf(Error);
  const message = err!.message;
  expect(message.split('\n')).toHaveLength(1);
  return message;
}

describe('loading a mapping set', () => {
  it('ships bimer, bimer-core and soap-crm, each loading cleanly', async () => {
    const names = await listMappingSets(BUILTIN_MAPPINGS_DIR);
    expect(names).toEqual(expect.arrayContaining(['bimer', 'bimer-core', 'soap-crm']));
    for (const name of names) await expect(loadConnectorSet(name)).resolves.toMatchObject({ name });
  });

  it('names the known sets when ERP_CONNECTOR names none', async () => {
    const err = await loadConnectorSet('sap-b1').catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^ERP_CONNECTOR: no mapping set "sap-b1" in .*\(known: .*bimer.*soap-crm.*\)$/);
  });

  it.each<[string, (s: ScratchSets) => Promise<void>, RegExp]>([
    ['a file that is not JSON', (s) => s.edit('bimer', 'connector.json', (t) => t.replace('{', '{,')), /connector\.json: is not valid JSON/],
    ['an unknown field', (s) => s.editJson('bimer', 'connector.json', (j) => (j.calls.getClient.request.verb = 'GET')), /connector\.json: \/calls\/getClient\/request has an unknown field "verb"/],
    ['a method that is not one', (s) => s.editJson('bimer', 'connector.json', (j) => (j.calls.getClient.request.method = 'FETCH')), /connector\.json: \/calls\/getClient\/request\/method must be equal to one of the allowed values: GET, POST/],
    ['JSONata that does not parse', (s) => s.editJson('bimer', 'connector.json', (j) => (j.calls.listUsers.answer.record = '{ "id": Identificador ')), /connector\.json: \/calls\/listUsers\/answer\/record does not parse/],
    ['a call left out', (s) => s.editJson('bimer', 'connector.json', (j) => delete j.calls.updateProcess), /connector\.json: \/calls lacks updateProcess/],
    ['a REST call without a path', (s) => s.editJson('bimer', 'connector.json', (j) => delete j.calls.getProcess.request.path), /\/calls\/getProcess\/request needs method and path/],
    ['a missing .jsonata file', (s) => s.editJson('bimer', 'connector.json', (j) => (j.calls.createCase.request.body = { file: 'nowhere.jsonata' })), /nowhere\.jsonata: file not found \(referenced from .*connector\.json \/calls\/createCase\/request\/body\)/],
    ['an unclosed path part', (s) => s.editJson('bimer', 'connector.json', (j) => (j.calls.getProcess.request.path = '/api/crm/atendimentos/{processNumber')), /\/calls\/getProcess\/request\/path: "\{" at character 22 is never closed/],
    ['a before call that is not mapped', (s) => s.editJson('bimer', 'connector.json', (j) => (j.calls.getMarkers.before = { client: 'getMarkers' })), /\/calls\/getMarkers\/before\/client: getMarkers is not a mapped call/],
    ['an outcome that is not one', (s) => s.editJson('bimer', 'outcomes.json', (j) => (j.rules[0].outcome = 'ignore')), /outcomes\.json: \/rules\/0\/outcome must be equal to one of the allowed values/],
    ['a payload schema that is not one', (s) => s.edit('bimer', 'payloads/notify.json', () => '{"type": "objekt"}'), /payloads\/notify\.json: is not a usable JSON Schema/],
  ])('refuses %s with one line naming the file and the problem', async (_what, change, expected) => {
    expect(await problemOf(change)).toMatch(expected);
  });
});
