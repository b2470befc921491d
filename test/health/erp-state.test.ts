// The ERP's state from its calls' outcomes: a refusal is an answer, an outage is not; probes
// read it, and ping only when the last word is old, never waiting long on a slow ERP.

import { describe, it, expect } from 'vitest';
import { ErpState, FRESH_MS } from '../../src/health/erp-state.js';
import { ConnectorError } from '../../src/errors.js';

function clock(start = Date.parse('2026-12-01T12:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('ERP state', () => {
  it('is unknown until a call ends, then up or degraded by what the call met', () => {
    const c = clock();
    const erp = new ErpState(async () => undefined, c.now);
    expect(erp.view().state).toBe('unknown');
    erp.observe();
    expect(erp.view()).toMatchObject({ state: 'up', error: null });
    erp.observe(ConnectorError.permanent('ERP_VALIDATION', 'Assunto inválido'));
    expect(erp.view().state).toBe('up');
    erp.observe(ConnectorError.transient('ERP_RATE_LIMITED', 'slow down'));
    expect(erp.view().state).toBe('up');
    c.advance(1000);
    erp.observe(ConnectorError.transient('ERP_UNREACHABLE', 'connect ECONNREFUSED'));
    expect(erp.view()).toEqual({ state: 'degraded', since: '2026-12-01T12:00:01.000Z', checkedAt: '2026-12-01T12:00:01.000Z', error: 'ERP_UNREACHABLE: connect ECONNREFUSED' });
    c.advance(1000);
    erp.observe(ConnectorError.transient('ERP_TIMEOUT', 'no answer'));
    expect(erp.view().since).toBe('2026-12-01T12:00:01.000Z');
  });

  it('answers from the last word while it is fresh, and pings when it is old', async () => {
    const c = clock();
    let pings = 0;
    let fail = false;
    const erp: ErpState = new ErpState(async () => {
      pings += 1;
      erp.observe(fail ? ConnectorError.transient('ERP_UNAVAILABLE', '503') : undefined);
    }, c.now);
    expect((await erp.current()).state).toBe('up');
    expect(pings).toBe(1);
    fail = true;
    c.advance(FRESH_MS - 1);
    expect((await erp.current()).state).toBe('up');
    expect(pings).toBe(1);
    c.advance(2);
    expect((await erp.current()).state).toBe('degraded');
    expect(pings).toBe(2);
  });

  it('reports a ping that does not answer in time as degraded, and shares one ping between probes', async () => {
    let pings = 0;
    const erp = new ErpState(() => {
      pings += 1;
      return new Promise<void>(() => undefined);
    });
    const [a, b] = await Promise.all([erp.current(), erp.current()]);
    expect(pings).toBe(1);
    expect(a).toMatchObject({ state: 'degraded', error: expect.stringContaining('did not answer a ping') });
    expect(b.state).toBe('degraded');
  });
});
