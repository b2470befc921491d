// Splits a client's e-mail reply into the new text and the quoted history (with the
// signature), in one pass over the lines: each line is looked at a bounded number of times
// with anchored, bounded patterns, so the work grows linearly with the text whatever it holds
// (email-reply-parser's backtracking regexes took seconds on 8 KB of " on at").
// Quote headers of the common clients, Portuguese and English: Gmail and Apple Mail
// ("Em …, … escreveu:" / "On … wrote:"), Thunderbird (the same, and "-------- Mensagem
// original --------"), Outlook ("-----Mensagem original-----", or a "De:/Enviado:/Para:/
// Assunto:" block, often under a line of underscores).

export interface EmailReply {
  /** What the client wrote now. */
  visible: string;
  /** The quoted history and signature, as received; empty when there is none. */
  hidden: string;
}

/** A header wrapped by the client ("…, Fulano <f@x.com>\nescreveu:") spans at most this many lines. */
const HEADER_LINES = 3;
/** Longer lines are text, never a header: keeps every check on a line bounded. */
const HEADER_MAX = 400;

const SEPARATOR = /^-{2,}\s?(mensagem original|original message|mensagem encaminhada|forwarded message)\s?-{2,}$/i;
const UNDERSCORES = /^_{10,}$/;
const FROM_LINE = /^\*?(de|from):\*?\s/i;
const HEADER_FIELD = /^\*?(enviado|enviada em|enviada|sent|data|date|para|to|assunto|subject|cc):\*?\s/i;
const SIGNATURE = /^(--|__|-- )$|^(enviado do meu|enviado de meu|enviado de|sent from my|get outlook for|obter o outlook para)\s/i;

/** "On … wrote:" / "Em … escreveu:" on one line, however the client wrapped it. */
function wroteHeader(lines: string[], i: number): boolean {
  const first = lines[i]!.trim();
  if (first.length > HEADER_MAX || !/^(on|em)\s/i.test(first)) return false;
  let joined = first;
  for (let k = i; k < Math.min(lines.length, i + HEADER_LINES); k++) {
    if (k > i) joined += ` ${lines[k]!.trim()}`;
    if (joined.length > HEADER_MAX) return false;
    const lower = joined.toLowerCase();
    if (lower.endsWith(' wrote:') || lower.endsWith(' escreveu:')) return true;
  }
  return false;
}

/** An Outlook block: "De:"/"From:" followed by at least two more header fields. */
function outlookBlock(lines: string[], i: number): boolean {
  if (!FROM_LINE.test(lines[i]!.trim().slice(0, HEADER_MAX))) return false;
  let fields = 0;
  for (let k = i + 1; k < Math.min(lines.length, i + 6) && fields < 2; k++) {
    if (HEADER_FIELD.test(lines[k]!.trim().slice(0, HEADER_MAX))) fields++;
  }
  return fields >= 2;
}

/** Index of the first line of the quoted history, or the number of lines when there is none. */
function historyStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.length > HEADER_MAX) continue;
    if (SEPARATOR.test(line) || wroteHeader(lines, i)) return i;
    if (outlookBlock(lines, i)) return i > 0 && UNDERSCORES.test(lines[i - 1]!.trim()) ? i - 1 : i;
  }
  return lines.length;
}

export function splitEmailReply(raw: string): EmailReply {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const cut = historyStart(lines);
  const visible: string[] = [];
  const hidden: string[] = [];
  let inSignature = false;
  let wroteSomething = false;
  for (let i = 0; i < cut; i++) {
    const line = lines[i]!;
    // A signature follows the text; a message that opens with "--" is all text.
    if (!inSignature && wroteSomething && SIGNATURE.test(line.trimEnd().slice(0, HEADER_MAX))) inSignature = true;
    if (inSignature || line.trimStart().startsWith('>')) {
      hidden.push(line);
    } else {
      visible.push(line);
      wroteSomething ||= line.trim() !== '';
    }
  }
  hidden.push(...lines.slice(cut));
  return { visible: visible.join('\n').trim(), hidden: hidden.join('\n').trim() };
}
