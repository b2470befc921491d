import { describe, it, expect } from 'vitest';
import { planFacts, versionKey } from '../../src/domain/erp-event-plan.js';
import { BATCH_LIMIT, canonicalInstant, canonicalEvent, checkEvent, markerChanged, markerOf, splitBody, type ErpEvent } from '../../src/domain/erp-event-rules.js';

describe('ERP push bodies', () => {
  it('are one event or a batch of 1 to 1,000', () => {
    expect(splitBody({ id: 'a' })).toEqual({ batch: false, events: [{ id: 'a' }] });
    expect(splitBody({ events: [{ id: 'a' }, { id: 'b' }] }).events).toHaveLength(2);
    expect(() => splitBody({ events: [] })).toThrow(/at least one/);
    expect(() => splitBody([])).toThrow(/event object/);
    expect(() => splitBody({ events: Array(BATCH_LIMIT + 1).fill({}) })).toThrow(expect.objectContaining({ code: 'BATCH_TOO_LARGE', status: 413 }));
  });
});

describe('ERP events', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const versions = (systems: string[]): ErpEvent => ({
    id: 'e', type: 'product-versions.updated', occurredAt: now.toISOString(),
    data: { clientCode: '12', versions: systems.map((system) => ({ system, used: '1', entitled: '1', downloaded: null })) },
  });

  it('may not be dated more than 5 minutes ahead', () => {
    expect(checkEvent({ ...versions(['ERP']), occurredAt: '2026-06-01T12:04:00Z' }, now)).toEqual([]);
    expect(checkEvent({ ...versions(['ERP']), occurredAt: '2026-06-01T12:06:00Z' }, now)).toEqual([{ path: 'occurredAt', message: 'is in the future' }]);
  });

  it('list each system once', () => {
    expect(checkEvent(versions(['ERP', 'Folha', 'ERP']), now)).toEqual([{ path: 'data.versions.2.system', message: 'repeats system "ERP"' }]);
  });

  it('carry the client code as chats store it', () => {
    expect(canonicalEvent(versions(['ERP'])).data.clientCode).toBe('000012');
  });
});

describe('delinquency markers', () => {
  const marker = (delinquent: boolean, since: string | null = null, reason: string | null = null) => ({ delinquent, since, reason });

  it('change when the flag flips, or when a delinquent client gets another since/reason', () => {
    expect(markerChanged(undefined, marker(true))).toBe(true);
    expect(markerChanged(undefined, marker(false))).toBe(false);
    expect(markerChanged(marker(true, '2026-01-01'), marker(true, '2026-01-01'))).toBe(false);
    expect(markerChanged(marker(true, '2026-01-01', 'a'), marker(true, '2026-01-01', 'b'))).toBe(true);
    expect(markerChanged(marker(false, null, 'a'), marker(false, null, 'b'))).toBe(false);
    expect(markerChanged(marker(true), marker(false))).toBe(true);
  });

  it('keep the date of a since given as date-time', () => {
    expect(markerOf({ clientCode: '000012', delinquent: true, since: '2024-03-01T00:00:00.000Z' })).toEqual(marker(true, '2024-03-01'));
  });
});

describe('applying facts in the order given', () => {
  const fact = (code: string, delinquent: boolean, occurredAt: string) => ({ type: 'delinquency.updated' as const, occurredAt, data: { clientCode: code, delinquent } });
  const at = (s: string) => `2026-06-01T12:00:${s}.000000Z`;

  it('applies what is not older than the state, counting what the batch already applied', () => {
    const stored = new Map([['000001', { delinquent: false, since: null, reason: null, occurredAt: at('10') }]]);
    const plan = planFacts([fact('000001', true, at('05')), fact('000001', true, at('20')), fact('000001', false, at('15')), fact('000002', true, at('01'))], stored, new Map());
    expect(plan.outcomes).toEqual(['stale', 'applied', 'stale', 'applied']);
    expect(plan.markers.get('000001')).toMatchObject({ delinquent: true, occurredAt: at('20') });
    expect(plan.changes.map((c) => c.clientCode)).toEqual(['000001', '000002']);
  });

  it('judges product versions per client and system: a CRM push older than the last ERP push still applies', () => {
    const versions = (occurredAt: string, ...systems: string[]) => ({ type: 'product-versions.updated' as const, occurredAt, data: { clientCode: '000001', versions: systems.map((system) => ({ system, used: '1', entitled: '1', downloaded: '1' })) } });
    const stored = new Map([[versionKey('000001', 'ERP'), at('10')]]);
    const plan = planFacts([versions(at('05'), 'ERP'), versions(at('05'), 'CRM'), versions(at('03'), 'CRM'), versions(at('07'), 'ERP', 'Folha')], new Map(), stored);
    expect(plan.outcomes).toEqual(['stale', 'applied', 'stale', 'applied']);
    expect([...plan.versions.keys()].sort()).toEqual([versionKey('000001', 'CRM'), versionKey('000001', 'Folha')]);
    expect(plan.versions.get(versionKey('000001', 'CRM'))!.occurredAt).toBe(at('05'));
  });
});

describe('instants', () => {
  it('compare as text once canonical, at microsecond precision, whatever the offset', () => {
    expect(canonicalInstant('2026-06-01T09:00:00-03:00')).toBe('2026-06-01T12:00:00.000000Z');
    expect(canonicalInstant('2026-06-01T12:00:00.1234567Z')).toBe('2026-06-01T12:00:00.123456Z');
    expect(canonicalInstant('2026-06-01T12:00:00.000002Z') > canonicalInstant('2026-06-01T12:00:00.000001Z')).toBe(true);
  });
});
