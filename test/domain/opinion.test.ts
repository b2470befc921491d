import { describe, it, expect } from 'vitest';
import { buildOpinion, transcriptText } from '../../src/domain/opinion.js';
import { saoPauloDate } from '../../src/domain/sao-paulo-time.js';

const lines = [
  { at: new Date('2026-11-20T13:00:00Z'), sender: 'client' as const, authorName: 'João', text: 'Oi' },
  { at: new Date('2026-11-20T13:01:00Z'), sender: 'agent' as const, authorName: 'Ana', text: 'nota entre agentes', private: true },
  { at: new Date('2026-11-20T13:02:00Z'), sender: 'agent' as const, text: 'Olá!' },
];

describe('opinion prefill', () => {
  it('writes the transcript in São Paulo time without private notes', () => {
    expect(transcriptText(lines)).toBe('[20/11/2026 10:00] João: Oi\n[20/11/2026 10:02] Agente: Olá!');
  });

  it('keeps the daylight-saving time São Paulo had then (until 2019)', () => {
    expect(transcriptText([{ at: new Date('2018-12-20T13:00:00Z'), sender: 'client', text: 'Oi' }])).toBe('[20/12/2018 11:00] Cliente: Oi');
  });

  it('is advance opinion + transcript, plus the standard text first', () => {
    expect(buildOpinion({ multiple: false, advanceOpinion: 'Adiantado', transcript: 'T', standardText: 'Padrão' })).toBe('Padrão\n\nAdiantado\n\nT');
  });

  it('with multiple, stops only the transcript: the advance opinion and what the agent sends', () => {
    expect(buildOpinion({ multiple: true, advanceOpinion: 'A', transcript: 'T', historyExcerpt: 'trecho', opinion: 'parecer' })).toBe('A\n\ntrecho\n\nparecer');
    expect(buildOpinion({ multiple: true, advanceOpinion: 'A', transcript: 'T' })).toBe('A');
  });

  it('uses an opinion the agent edited instead of the transcript, still carrying the advance opinion once', () => {
    expect(buildOpinion({ multiple: false, advanceOpinion: 'A', transcript: 'T', opinion: 'editado', standardText: 'P' })).toBe('P\n\nA\n\neditado');
    expect(buildOpinion({ multiple: false, advanceOpinion: 'A', transcript: 'T', opinion: 'A\n\neditado' })).toBe('A\n\neditado');
    expect(buildOpinion({ multiple: true, advanceOpinion: 'A', transcript: 'T', opinion: 'A revisto' })).toBe('A revisto');
  });

  it('sent back unchanged, the prefill gives what the agent would get by sending nothing', () => {
    const prefill = buildOpinion({ multiple: false, advanceOpinion: 'A', transcript: 'T' });
    expect(buildOpinion({ multiple: false, advanceOpinion: 'A', transcript: 'T', opinion: prefill })).toBe(buildOpinion({ multiple: false, advanceOpinion: 'A', transcript: 'T' }));
  });

  it('is empty when nothing feeds it (the accept-time check refuses that)', () => {
    expect(buildOpinion({ multiple: true, advanceOpinion: '  ', transcript: 'T' })).toBe('');
    expect(buildOpinion({ multiple: false, transcript: '' })).toBe('');
  });
});

describe('São Paulo dates', () => {
  it('take "today" in America/Sao_Paulo: 22:30 in Brasília is still that day', () => {
    expect(saoPauloDate(new Date('2026-11-21T01:30:00Z'))).toBe('2026-11-20');
    expect(saoPauloDate(new Date('2026-11-21T03:00:00Z'))).toBe('2026-11-21');
  });
});
