// The opinion ("parecer") sent to the ERP, and the chat transcript it is prefilled from.

export interface TranscriptLine {
  at: Date;
  sender: 'client' | 'agent' | 'system';
  authorName?: string | null;
  text: string;
  private?: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** dd/MM/yyyy HH:mm in UTC-3 (Brasília), as agents read it. */
export function formatBrasilia(at: Date): string {
  const d = new Date(at.getTime() - 3 * 3600_000);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

const SENDER_LABEL = { client: 'Cliente', agent: 'Agente', system: 'Sistema' } as const;

/** The "copy history" text: client-visible messages only (agent notes stay private). */
export function transcriptText(lines: TranscriptLine[]): string {
  return lines
    .filter((l) => !l.private)
    .map((l) => `[${formatBrasilia(l.at)}] ${l.authorName || SENDER_LABEL[l.sender]}: ${l.text}`)
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

/**
 * Seed 004: the opinion is the advance opinion plus the transcript, unless `multiple`
 * (then only what the agent sends: historyExcerpt and opinion), plus the standard text.
 * An `opinion` the agent edited replaces the prefill.
 */
export function buildOpinion(p: OpinionParts): string {
  const body = p.multiple
    ? [p.historyExcerpt, p.opinion]
    : p.opinion !== undefined
      ? [p.opinion]
      : [p.advanceOpinion, p.transcript];
  return [p.standardText, ...body]
    .map((s) => s?.trim())
    .filter((s): s is string => Boolean(s))
    .join('\n\n');
}

/** The integration form's prefill (what buildOpinion uses when the agent sends nothing). */
export function prefillOpinion(advanceOpinion: string | null | undefined, transcript: string): string {
  return buildOpinion({ multiple: false, advanceOpinion, transcript });
}
