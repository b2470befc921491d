// The chat screen's marker list: delinquency first and highlighted, the ERP's other markers after
// it in the ERP's order; an ERP that only flags delinquency still gets its highlighted line.

import { describe, expect, it } from 'vitest';
import { listMarkers } from '../../src/domain/marker-list.js';

const vip = { code: 'VIP', label: 'Cliente VIP', since: null, delinquency: false };
const inad = { code: 'INAD', label: 'Inadimplente', since: '2025-01-15', delinquency: true };

describe('listMarkers', () => {
  it('puts the delinquency marker first, highlighted, while the client is delinquent', () => {
    expect(listMarkers({ delinquent: true, since: '2025-01-15', reason: 'Boletos', markers: [vip, inad] })).toEqual([
      { ...inad, highlighted: true },
      { ...vip, highlighted: false },
    ]);
  });

  it('adds a highlighted line when the ERP flags delinquency without listing it', () => {
    expect(listMarkers({ delinquent: true, since: '2025-01-15', reason: 'Boletos vencidos', markers: [vip] })).toEqual([
      { code: 'DELINQUENT', label: 'Boletos vencidos', since: '2025-01-15', delinquency: true, highlighted: true },
      { ...vip, highlighted: false },
    ]);
    expect(listMarkers({ delinquent: true, since: null, reason: null, markers: [] })[0]!.label).toBe('Cliente inadimplente');
  });

  it('highlights nothing for a client who is not delinquent', () => {
    expect(listMarkers({ delinquent: false, since: null, reason: null, markers: [inad, vip] }).map((m) => m.highlighted)).toEqual([false, false]);
  });
});
