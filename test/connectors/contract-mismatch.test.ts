// An answer mapping that does not fit what the ERP answers is a named contract error — the call
// and the JSON path, and what came back — never an empty list, a null or a silent success: at
// the connector, at accept time (502 ERP_CONTRACT_MISMATCH) and in the worker (failed, permanent).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBimerSandbox, SEED, type BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { auth, eventually, startPonte, type Ponte } from '../support/ponte.js';
import { integrationRequest, session } from '../support/fixtures.js';
import { connect, failure } from './connect.js';
import { bimerEnv } from './bimer/harness.js';
import { scratchSets, type ScratchSets } from '../support/mapping-sets.js';

describe('a mapping that does not fit the answer', () => {
  let erp: BimerSandbox;
  let sets: ScratchSets;
  beforeAll(async () => {
    erp = await startBimerSandbox();
    sets = await scratchSets('bimer');
    await sets.editJson('bimer', 'connector.json', (j) => {
      j.calls.listProducts.answer.records = 'Lista';
      j.calls.listUsers.answer.record = "{ 'id': Ident, 'name': Nome }";
      j.calls.createCase.answer.record = "{ 'number': $string(Numero) }";
    });
  });
  afterAll(async () => {
    await sets.remove();
    await erp.close();
  });

  it('a records path that is not in the answer is CONNECTOR_CONTRACT_MISMATCH naming it, not an empty list', async () => {
    const c = await connect('bimer', bimerEnv(erp.url), { dir: sets.dir });
    const err = await failure(c.listProducts());
    expect(err).toMatchObject({ code: 'CONNECTOR_CONTRACT_MISMATCH', kind: 'permanent' });
    expect(err.details[0]).toMatchObject({ call: 'listProducts', path: 'Lista' });
    expect(err.message).toContain('"ListaObjetos"');
  });

  it('a record mapping reading the wrong field names the neutral field and quotes the ERP record', async () => {
    const c = await connect('bimer', bimerEnv(erp.url), { dir: sets.dir });
    const err = await failure(c.listUsers());
    expect(err.details[0]).toMatchObject({ call: 'listUsers', path: '$[0].id', message: 'is required' });
    expect(err.details[0].got).toContain('"Identificador":"00A0000041"');
  });

  describe('through ponte', () => {
    let p: Ponte;
    beforeAll(async () => {
      p = await startPonte('redis', { env: { ...bimerEnv(erp.url, {}, 2000), ERP_MAPPINGS_DIR: sets.dir, ERP_CONNECTOR: 'bimer', JOB_ATTEMPTS: '3' } });
    });
    afterAll(() => p.close());

    it('at accept time is 502 ERP_CONTRACT_MISMATCH naming the call', async () => {
      const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() });
      expect(res.statusCode).toBe(502);
      expect(res.json().error).toMatchObject({ code: 'ERP_CONTRACT_MISMATCH', message: expect.stringContaining('listProducts') });
    });

    it('in the worker fails the integration at once, naming the call and the path — never a success without a number', async () => {
      // A product lookup that fits: the mismatch is only in what createCase answers.
      await sets.editJson('bimer', 'connector.json', (j) => {
        j.calls.listProducts.answer.records = 'ListaObjetos';
      });
      const fitting = await startPonte('redis', { env: { ...bimerEnv(erp.url, {}, 2000), ERP_MAPPINGS_DIR: sets.dir, ERP_CONNECTOR: 'bimer', JOB_ATTEMPTS: '3' } });
      try {
        const res = await fitting.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session({ integrations: [integrationRequest({ productId: SEED.products.erp })] }) });
        expect(res.statusCode).toBe(202);
        const id = res.json().integrations[0].id;
        const failed = await eventually(async () => {
          const i = (await fitting.app.inject({ method: 'GET', url: `/v1/integrations/${id}`, headers: auth('helpdesk') })).json();
          return i.status === 'failed' ? i : undefined;
        }, 'failed');
        expect(failed.attempts).toBe(1);
        expect(failed.lastError).toMatchObject({ code: 'CONNECTOR_CONTRACT_MISMATCH', retryable: false, message: expect.stringMatching(/^createCase: .*\$\.number is required/) });
      } finally {
        await fitting.close();
      }
    });
  });
});
