// The opinion ("parecer") sent to the ERP, and the chat transcript it is prefilled from.

import { formatSaoPaulo } from './sao-paulo-time.js';

export interface TranscriptLine {
  at: Date;
  sender: 'client' | 'agent' | 'system';
  authorName?: string | null;
  text: string;
  private?: boolean;
}

const SENDER_LABEL = { client: 'Cliente', agent: 'Agente', system: 'Sistema' } as const;

/** The "copy history" text: client-visible messages only (agent notes stay private). */
export function transcriptText(lines: TranscriptLine[]): string {
  return lines
    .filter((l) => !l.private)
    .map((l) => `[${formatSaoPaulo(l.at)}] ${l.authorName || SENDER_LABEL[l.sender]}: ${l.text}`)
    .join('\n');
}

export interface OpinionParts {
  multiple: boolean;
  advanceOpinion?: string | null;
  transcript: string;
  opinion?: string;
  historyExcerpt?: string;
  standardText?: string;
}

const clean = (parts: Array<string | null | undefined>): string[] => parts.map((s) => s?.trim()).filter((s): s is string => Boolean(s));

/**
 * Seed 001: what the agent wrote as advance opinion is carried into the opinion, in every
 * mode (once: not again when the agent's own text already holds it). Seed 004: without
 * `multiple` the transcript follows, unless the agent sent an edited `opinion`, which takes
 * its place; with `multiple` the transcript is never automatic, only the agent's
 * `historyExcerpt` and `opinion`. The standard text of the case type comes first.
 */
export function buildOpinion(p: OpinionParts): string {
  const own = p.multiple ? clean([p.historyExcerpt, p.opinion]) : p.opinion !== undefined ? clean([p.opinion]) : clean([p.transcript]);
  const advance = p.advanceOpinion?.trim();
  const carried = advance && !own.some((text) => text.includes(advance)) ? [advance] : [];
  return clean([p.standardText, ...carried, ...own]).join('\n\n');
}
