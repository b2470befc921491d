// Adding an ERP is a folder of files: no TypeScript under connectors/ (outside the stand-in ERPs
// in sandbox/ and peer/) names a field, element, operation or path of any mapping set's ERP —
// the built-in ones or the test peers' — so the engine cannot quietly depend on one ERP's shape.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listMappingSets } from '../../src/connectors/mapping-set.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * Names SOAP and OAuth themselves define (a SOAP 1.2 fault's Code/Reason/Text...), and `data`
 * (Portuguese for "date" in Bimer Core's proximoContato.data, and axios's own answer field), not an ERP.
 */
const PROTOCOL = new Set(['Code', 'Value', 'Reason', 'Text', 'Detail', 'Envelope', 'Body', 'Fault', 'Header', 'data']);

async function files(dir: string, keep: (f: string) => boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? files(path.join(dir, e.name), keep) : Promise.resolve(keep(e.name) ? [path.join(dir, e.name)] : []))));
  return nested.flat();
}

/** Every mapping set folder: the built-in ones and those the test peers are configured by. */
async function setFolders(): Promise<string[]> {
  const peerSets = (await readdir(path.join(ROOT, 'test/support/peers')).catch(() => [])).map((p) => path.join(ROOT, 'test/support/peers', p, 'mappings'));
  const dirs = [path.join(ROOT, 'mappings'), ...peerSets];
  return (await Promise.all(dirs.map(async (d) => (await listMappingSets(d)).map((s) => path.join(d, s))))).flat();
}

/** The ERP's own names a set uses: payload fields, records paths, SOAP operations, REST path words. */
async function wireNames(folder: string): Promise<Set<string>> {
  const names = new Set<string>();
  const collect = (schema: unknown): void => {
    if (typeof schema !== 'object' || schema === null) return;
    const props = (schema as { properties?: Record<string, unknown> }).properties;
    if (props) for (const [k, v] of Object.entries(props)) (names.add(k), collect(v));
    for (const v of Object.values(schema)) if (typeof v === 'object') collect(v);
  };
  for (const file of await files(path.join(folder, 'payloads'), (f) => f.endsWith('.json'))) collect(JSON.parse(await readFile(file, 'utf8')));
  const connector = JSON.parse(await readFile(path.join(folder, 'connector.json'), 'utf8'));
  for (const call of Object.values<any>(connector.calls)) {
    for (const step of String(call.answer?.records ?? connector.answers?.records ?? '').split('.')) if (step && step !== '$') names.add(step);
    if (call.request.operation) names.add(call.request.operation);
    for (const word of String(call.request.path ?? '').replace(/\{[^}]*\}/g, '').split('/')) if (word.length >= 5) names.add(word);
  }
  for (const p of PROTOCOL) names.delete(p);
  return names;
}

describe('connector code names no ERP', () => {
  it('no TypeScript under connectors/, outside sandbox/ and peer/, names a field, element, operation or path of a mapping set', async () => {
    const sets = await setFolders();
    expect(sets.map((s) => path.basename(s))).toEqual(expect.arrayContaining(['bimer', 'soap-crm', 'bimer-core', 'sigma']));
    const code = (await files(path.join(ROOT, 'connectors'), (f) => f.endsWith('.ts'))).filter((f) => !/[/\\](sandbox|peer)[/\\]/.test(f));
    expect(code.length).toBeGreaterThan(5);
    const found: string[] = [];
    for (const set of sets) {
      const names = [...(await wireNames(set))];
      expect(names.length, `${set} names nothing`).toBeGreaterThan(5);
      for (const file of code) {
        const text = await readFile(file, 'utf8');
        for (const name of names) if (new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text)) found.push(`${path.relative(ROOT, file)}: ${name} (${path.basename(set)})`);
      }
    }
    expect(found).toEqual([]);
  });
});
