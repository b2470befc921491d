// The connector contract as the engine sees it, against both built-in connectors: writes take
// neutral records, the process update and the notification lookup, the dry run that validates a
// payload without calling the ERP, and trace headers that reach the ERP.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseRecord, ErpConnector } from '../../src/connectors/contract.js';
import { PEERS, type ErpPeer } from '../support/erp-peers.js';
import { connect as connectSet } from './connect.js';

const connect = (peer: ErpPeer): Promise<ErpConnector> => connectSet(peer.connector, peer.env, { dir: peer.env.ERP_MAPPINGS_DIR });

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe.each(Object.keys(PEERS) as Array<keyof typeof PEERS>)('the connector contract through %s', (name) => {
  let erp: ErpPeer;
  let connector: ErpConnector;
  beforeAll(async () => {
    erp = await PEERS[name]();
    connector = await connect(erp);
  });
  afterAll(async () => {
    await connector.close();
    await erp.close();
  });

  const record = (overrides: Partial<CaseRecord> = {}): CaseRecord => ({
    externalRef: `ref-${Math.random().toString(36).slice(2)}`,
    clientCode: erp.seed.clientCode,
    productId: erp.seed.productId,
    caseTypeId: erp.seed.caseTypeId,
    subject: 'Erro ao emitir NF-e',
    opinion: 'Cliente orientado pelo chat.',
    closeCase: false,
    priority: false,
    ...overrides,
  });

  it('dry-runs a write: the payload it would send, and its problems naming the neutral field, without calling the ERP', async () => {
    const before = erp.cases().length;
    const ok = await connector.dryRun('createCase', record());
    expect(ok.problems).toEqual([]);
    expect(JSON.stringify(ok.request.payload)).toContain('Erro ao emitir NF-e');
    const long = await connector.dryRun('createCase', record({ subject: 'x'.repeat(200) }));
    expect(long.problems).toEqual([expect.objectContaining({ field: 'subject', message: expect.stringMatching(/must NOT have more than \d+ characters/) })]);
    expect(erp.cases()).toHaveLength(before);
  });

  it('refuses to send a write whose payload breaks its schema (PAYLOAD_INVALID, permanent)', async () => {
    const ref = `bad-${Date.now()}`;
    await expect(connector.createCase(record({ externalRef: ref, subject: 'x'.repeat(200) }))).rejects.toMatchObject({ code: 'PAYLOAD_INVALID', kind: 'permanent' });
    expect(erp.cases().filter((c) => c.externalRef === ref)).toEqual([]);
  });

  it('applies close, responsibility center, next contact and priority to an existing process', async () => {
    const number = await connector.createCase(record());
    await connector.updateProcess({ externalRef: 'upd-a', processNumber: number, closeCase: false, nextContact: { userId: erp.seed.userId, date: '2031-03-04' }, priority: true });
    expect(erp.process(number)).toMatchObject({ closed: false, priority: true, nextContactUserId: erp.seed.userId, nextContactDate: '2031-03-04' });
    await connector.updateProcess({ externalRef: 'upd-b', processNumber: number, closeCase: true, responsibilityCenterId: erp.seed.centerId });
    expect(erp.process(number)).toMatchObject({ closed: true, responsibilityCenterId: erp.seed.centerId });
  });

  it('tells whether a notification with an external reference is on the process', async () => {
    const ref = `n-${Date.now()}`;
    expect(await connector.findNotification(erp.seed.processNumber, ref)).toBe(false);
    await connector.notify({ externalRef: ref, processNumber: erp.seed.processNumber, spySystemLogins: [erp.seed.spySystemLogin], emails: [] });
    expect(await connector.findNotification(erp.seed.processNumber, ref)).toBe(true);
  });

  it('sends the call context headers (traceparent) with every ERP request', async () => {
    await connector.listUsers({ headers: { traceparent: TRACEPARENT } });
    expect(erp.traceparents()).toContain(TRACEPARENT);
  });

  it('declares what it cannot apply as data', () => {
    expect(connector.capabilities.cannotApply).toEqual({});
  });
});
