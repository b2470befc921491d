// `ponte connector check` tells a deployment engineer, call by call, whether the configured mapping
// set fits the ERP (reads run once, writes only dry-run), exiting 0 only when every call holds;
// `ponte integrations show --payload` prints what ponte would send for a stored integration; a
// bad mapping file stops the commands and the start with one line naming the file.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/schemas.js';
import { allHold, checkConnector } from '../../src/connectors/check.js';
import { startBimerSandbox, SEED, type BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { scratchSets, type ScratchSets } from '../support/mapping-sets.js';
import { PEERS, type ErpPeer } from '../support/erp-peers.js';
import { openStore } from '../support/stores.js';
import { auth, eventually, startPonte, SECRET_KEY } from '../support/ponte.js';
import { integrationRequest, session } from '../support/fixtures.js';
import { bimerEnv } from './bimer/harness.js';
import { connect } from './connect.js';
import { PONTE } from '../support/ponte-command.js';

const run = promisify(execFile);

/** Runs the ponte CLI; resolves with its exit code and output either way. */
async function ponte(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', PORT: '0', ...env };
  try {
    const { stdout, stderr } = await run(process.execPath, [...PONTE, ...args], { cwd: PROJECT_ROOT, env: full, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('the check, call by call', () => {
  it.each(['bimer-core', 'sigma'] as const)('every call of the %s set holds against its ERP: reads run once, writes only dry-run', async (name) => {
    const erp: ErpPeer = await PEERS[name]();
    try {
      const before = erp.cases().length;
      const env = Object.fromEntries(Object.entries(erp.env).filter(([k]) => k !== 'ERP_CONNECTOR' && k !== 'ERP_MAPPINGS_DIR'));
      const connector = await connect(erp.connector, env, { dir: erp.env.ERP_MAPPINGS_DIR });
      const lines = await checkConnector(connector, { clientCode: erp.seed.clientCode, processNumber: erp.seed.processNumber, today: '2031-05-06' });
      await connector.close();
      expect(lines.map((l) => l.call)).toEqual([
        'getClient', 'listProducts', 'listCaseTypes', 'listUsers', 'listResponsibilityCenters', 'getProcess', 'listClientProducts', 'listCriticalFactors',
        'getMarkers', 'listProductVersions', 'findCaseByExternalRef', 'hasOpinion', 'findNotification', 'createCase', 'addOpinion', 'notify', 'updateProcess',
      ]);
      expect(lines.filter((l) => l.status !== 'ok' && l.status !== 'not mapped')).toEqual([]);
      expect(allHold(lines)).toBe(true);
      expect(erp.cases()).toHaveLength(before);
    } finally {
      await erp.close();
    }
  }, 60_000);
});

describe('ponte connector check (CLI)', () => {
  let erp: BimerSandbox;
  let sets: ScratchSets;
  beforeAll(async () => {
    erp = await startBimerSandbox();
    sets = await scratchSets('bimer', 'soap-crm');
    // A deployment's copy of the set, with the products' records path misspelt.
    await sets.editJson('bimer', 'connector.json', (j) => {
      j.calls.listProducts.answer.records = 'Lista';
    });
    await sets.edit('soap-crm', 'connector.json', (t) => t.replace('"kind"', '"knid"'));
  });
  afterAll(async () => {
    await sets.remove();
    await erp.close();
  });

  const args = ['connector', 'check', '--client-code', SEED.clients.company, '--process-number', '10000001'];

  it('exits 0 with every call ok against a set that fits, and writes nothing', async () => {
    const before = erp.state.cases.length;
    const out = await ponte(args, { ...bimerEnv(erp.url), ERP_CONNECTOR: 'bimer' });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^listProducts\s+ok\s+4 record\(s\)$/m);
    expect(out.stdout).toMatch(/^createCase\s+ok\s+dry run POST \S+ \(not sent\)/m);
    expect(out.stdout).toContain('every call holds');
    expect(erp.state.cases).toHaveLength(before);
  }, 120_000);

  it('reports a broken mapping as a contract mismatch naming the call, the path and what came back, and exits non-zero', async () => {
    const out = await ponte([...args, '--json'], { ...bimerEnv(erp.url), ERP_CONNECTOR: 'bimer', ERP_MAPPINGS_DIR: sets.dir });
    expect(out.code).toBe(1);
    const report = JSON.parse(out.stdout);
    expect(report.ok).toBe(false);
    const products = report.calls.find((c: { call: string }) => c.call === 'listProducts');
    expect(products).toMatchObject({ status: 'mismatch', path: 'Lista' });
    expect(products.got).toContain('ListaObjetos');
    // The other calls still ran and held; the create's sample takes a product id from the broken read.
    expect(report.calls.filter((c: { status: string }) => c.status !== 'ok').map((c: { call: string; status: string }) => `${c.call} ${c.status}`)).toEqual(['listProducts mismatch', 'createCase not checked']);
  }, 120_000);

  it.each([['connector', 'check', '--client-code', '000012', '--process-number', '1'], ['serve']])('a bad mapping file stops `ponte %s` with one line naming the file and the problem', async (...command) => {
    const out = await ponte(command, { ERP_CONNECTOR: 'soap-crm', ERP_MAPPINGS_DIR: sets.dir, SOAP_URL: 'http://127.0.0.1:9/none' });
    expect(out.code).not.toBe(0);
    const lines = out.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/soap-crm\/connector\.json: .*kind/);
  }, 120_000);
});

describe('ponte integrations show --payload (CLI)', () => {
  it('prints each write ponte would send for a stored integration, mapped by the configured set', async () => {
    const store = await openStore('postgres');
    const erp = await PEERS.bimer();
    const server = await startPonte('postgres', { databaseUrl: store.url, env: { ...erp.env, JOB_ATTEMPTS: '1' } });
    try {
      erp.fault('permanent', 'createCase');
      const res = await server.app.inject({
        method: 'POST',
        url: '/v1/sessions',
        headers: auth('helpdesk'),
        payload: session({ integrations: [integrationRequest({ subject: 'Certificado vencido na filial', notify: { emails: ['gestor@empresa.com.br'] } })] }),
      });
      expect(res.statusCode).toBe(202);
      const id: string = res.json().integrations[0].id;
      await eventually(async () => (await store.db.query("SELECT 1 FROM integrations WHERE id = $1 AND status = 'failed'", [id])).rowCount === 1, 'the create to fail');

      const out = await ponte(['integrations', 'show', '--id', id, '--payload'], { ...erp.env, DATABASE_URL: store.url, PONTE_SECRET_KEY: SECRET_KEY });
      expect(out.code).toBe(0);
      const shown = JSON.parse(out.stdout);
      expect(shown).toMatchObject({ id, connector: 'bimer', status: 'failed' });
      expect(shown.writes.map((w: { call: string; done: boolean }) => [w.call, w.done])).toEqual([['createCase', false], ['notify', false]]);
      const create = shown.writes[0];
      expect(create).toMatchObject({ method: 'POST', problems: [] });
      const sent = JSON.stringify(create.payload);
      expect(sent).toContain(id);
      expect(sent).toContain('Certificado vencido na filial');
      expect(sent).toContain('Certificado A1 vencido.');
      expect(sent).toContain(erp.seed.standardText);
      expect(shown.notes).toEqual([expect.stringContaining("notify's processNumber")]);

      const missing = await ponte(['integrations', 'show', '--id', '7d0f3b52-4a40-4c57-9a3c-6e2b9f7e1a11', '--payload'], { ...erp.env, DATABASE_URL: store.url, PONTE_SECRET_KEY: SECRET_KEY });
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/NOT_FOUND/);
    } finally {
      await server.close();
      await erp.close();
      await store.close();
    }
  }, 180_000);
});
