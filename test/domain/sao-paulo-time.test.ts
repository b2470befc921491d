import { describe, expect, it } from 'vitest';
import { formatSaoPaulo, formatSaoPauloDay, saoPauloDate } from '../../src/domain/sao-paulo-time.js';

describe('São Paulo time', () => {
  it('formats in America/Sao_Paulo, daylight saving of old transcripts included, the same on every call', () => {
    const now = new Date('2026-11-20T13:05:59Z'); // UTC-3
    const summer2018 = new Date('2018-12-01T13:05:00Z'); // UTC-2 (daylight saving until 2019)
    for (let i = 0; i < 2; i++) {
      expect(formatSaoPaulo(now)).toBe('20/11/2026 10:05');
      expect(formatSaoPaulo(summer2018)).toBe('01/12/2018 11:05');
    }
    expect(formatSaoPaulo(new Date('2026-11-20T13:06:00Z'))).toBe('20/11/2026 10:06');
    expect(saoPauloDate(new Date('2026-11-21T02:59:00Z'))).toBe('2026-11-20');
    expect(formatSaoPauloDay(new Date('2026-11-21T03:00:00Z'))).toBe('21/11/2026');
  });
});
