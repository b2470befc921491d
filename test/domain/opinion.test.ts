import { describe, it, expect } from 'vitest';
import { buildOpinion, prefillOpinion, transcriptText } from '../../src/domain/opinion.js';

const lines = [
  { at: new Date('2026-11-20T13:00:00Z'), sender: 'client' as const, authorName: 'João', text: 'Oi' },
  { at: new Date('2026-11-20T13:01:00Z'), sender: 'agent' as const, authorName: 'Ana', text: 'nota entre agentes', private: true },
  { at: new Date('2026-11-20T13:02:00Z'), sender: 'agent' as const, text: 'Olá!' },
];

describe('opinion prefill', () => {
  it('writes the transcript in Brasília time without private notes', () => {
    expect(transcriptText(lines)).toBe('[20/11/2026 10:00] João: Oi\n[20/11/2026 10:02] Agente: Olá!');
  });

  it('is advance opinion + transcript, plus the standard text first', () => {
    expect(buildOpinion({ multiple: false, advanceOpinion: 'Adiantado', transcript: 'T', standardText: 'Padrão' })).toBe('Padrão\n\nAdiantado\n\nT');
    expect(prefillOpinion('A', 'T')).toBe('A\n\nT');
  });

  it('with multiple, carries only what the agent sends', () => {
    expect(buildOpinion({ multiple: true, advanceOpinion: 'A', transcript: 'T', historyExcerpt: 'trecho', opinion: 'parecer' })).toBe('trecho\n\nparecer');
  });

  it('uses an opinion the agent edited instead of the prefill', () => {
    expect(buildOpinion({ multiple: false, advanceOpinion: 'A', transcript: 'T', opinion: 'editado', standardText: 'P' })).toBe('P\n\neditado');
  });
});
