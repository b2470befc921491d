// Dates and times as agents in Brazil read them: the America/Sao_Paulo time zone (ICU), so a
// "today" taken at 22:00 in Brasília is still that day, and old transcripts keep their DST.

const PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Sao_Paulo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

type Parts = Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>;

// ICU's formatToParts costs microseconds per call, and a transcript asks it once per message:
// answers are kept per minute (São Paulo's offsets are whole hours), a bounded number of them.
const byMinute = new Map<number, Parts>();
const MAX_MINUTES = 10_000;

function parts(at: Date): Parts {
  const minute = Math.floor(at.getTime() / 60_000);
  const known = byMinute.get(minute);
  if (known) return known;
  const out: Record<string, string> = {};
  for (const p of PARTS.formatToParts(at)) out[p.type] = p.value;
  if (byMinute.size >= MAX_MINUTES) byMinute.clear();
  byMinute.set(minute, out as Parts);
  return out as Parts;
}

/** The calendar day in São Paulo, `YYYY-MM-DD` (what next-contact dates are compared with). */
export function saoPauloDate(at: Date): string {
  const p = parts(at);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `dd/MM/yyyy HH:mm` in São Paulo, as the transcript shows it. */
export function formatSaoPaulo(at: Date): string {
  const p = parts(at);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** `dd/MM/yyyy` in São Paulo, as clients read a date. */
export function formatSaoPauloDay(at: Date): string {
  const p = parts(at);
  return `${p.day}/${p.month}/${p.year}`;
}
