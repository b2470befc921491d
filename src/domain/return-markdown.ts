// The small markdown subset agents write replies in: **bold**, *italic*, ~~strike~~, "- " and
// "1. " lists (numbers kept: "3. " starts the list at 3), paragraphs, line breaks and
// [links](https://...). The text is escaped first, so the only markup in the result is what
// this file writes; the caller sanitizes it again.
// Linear time: every delimiter search moves forward only (a remembered "next occurrence"), so
// a line of 60,000 "[" or "**" costs one pass instead of one scan per opener.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;
/** Links are set aside as `\uE000n\uE001` while emphasis is matched, so URLs keep their `*` and `_`. */
const SLOT = /\uE000(\d+)\uE001/g;
const SCHEMES = ['https://', 'http://', 'mailto:'];

/** indexOf for callers that only ask from increasing positions: amortized linear overall. */
function nextOf(text: string, needle: string): (from: number) => number {
  let at = -2;
  return (from) => {
    if (at === -1 || at >= from) return at;
    at = text.indexOf(needle, from);
    return at;
  };
}

/** Like nextOf, for the next whitespace character. */
function nextSpace(text: string): (from: number) => number {
  const pattern = /\s/g;
  let at = -2;
  return (from) => {
    if (at === -1 || at >= from) return at;
    pattern.lastIndex = from;
    at = pattern.exec(text)?.index ?? -1;
    return at;
  };
}

/** `[text](url)` → placeholders; the rendered anchors are pushed to `links`. */
function setLinksAside(line: string, links: string[]): string {
  const closeBracket = nextOf(line, ']');
  const closeParen = nextOf(line, ')');
  const space = nextSpace(line);
  const tried = new Map<number, number>();
  /** Where the `(url)` after the `]` at `j` ends (its `)`), or -1: the same for every `[` before it. */
  const urlEnd = (j: number): number => {
    const known = tried.get(j);
    if (known !== undefined) return known;
    let end = -1;
    const scheme = line[j + 1] === '(' ? SCHEMES.find((s) => line.startsWith(s, j + 2)) : undefined;
    if (scheme) {
      const paren = closeParen(j + 2);
      const blank = space(j + 2);
      if (paren > j + 2 + scheme.length && (blank === -1 || paren < blank)) end = paren;
    }
    tried.set(j, end);
    return end;
  };
  let out = '';
  let from = 0;
  let i = line.indexOf('[');
  while (i !== -1) {
    const j = closeBracket(i + 1);
    if (j === -1) break;
    const end = j > i + 1 ? urlEnd(j) : -1;
    if (end === -1) {
      i = line.indexOf('[', i + 1);
      continue;
    }
    const url = line.slice(j + 2, end);
    links.push(`<a href="${url}">${emphasis(line.slice(i + 1, j))}</a>`);
    out += `${line.slice(from, i)}\uE000${links.length - 1}\uE001`;
    from = end + 1;
    i = line.indexOf('[', from);
  }
  return out + line.slice(from);
}

/** `**x**`, `__x__`, `~~x~~`: the closer is the first one after at least one character. */
function pairs(text: string, mark: string, tag: string): string {
  const closer = nextOf(text, mark);
  let out = '';
  let from = 0;
  let i = text.indexOf(mark);
  while (i !== -1) {
    if (!/\S/.test(text[i + mark.length] ?? ' ')) {
      i = text.indexOf(mark, i + 1);
      continue;
    }
    const close = closer(i + mark.length + 1);
    // No closer after this opener means none after any later one either.
    if (close === -1) break;
    out += `${text.slice(from, i)}<${tag}>${text.slice(i + mark.length, close)}</${tag}>`;
    from = close + mark.length;
    i = text.indexOf(mark, from);
  }
  return out + text.slice(from);
}

const WORD = /\w/;

/**
 * `*x*` and `_x_`: opened after a non-word character and before a non-space, closed by the
 * next mark (none inside) when no `*` (for `*`) or word character (for `_`) follows it. A
 * failed opener hands over to that next mark, so each mark is looked at once.
 */
function italics(text: string, mark: '*' | '_'): string {
  let out = '';
  let from = 0;
  let i = text.indexOf(mark);
  while (i !== -1) {
    const close = text.indexOf(mark, i + 1);
    if (close === -1) break;
    const before = text[i - 1];
    const after = text[i + 1]!;
    const opens = (before === undefined || (before !== mark && !WORD.test(before))) && after !== mark && /\S/.test(after);
    const next = text[close + 1];
    const closes = mark === '*' ? next !== '*' : next === undefined || !WORD.test(next);
    if (!opens || !closes) {
      i = close;
      continue;
    }
    out += `${text.slice(from, i)}<em>${text.slice(i + 1, close)}</em>`;
    from = close + 1;
    i = text.indexOf(mark, from);
  }
  return out + text.slice(from);
}

const MARKS = /[*_~]/;

function emphasis(escaped: string): string {
  if (!MARKS.test(escaped)) return escaped;
  const bold = pairs(pairs(escaped, '**', 'strong'), '__', 'strong');
  return italics(italics(pairs(bold, '~~', 'del'), '*'), '_');
}

/** Inline marks on already-escaped text. */
function inline(escaped: string): string {
  if (!escaped.includes('[')) return emphasis(escaped);
  const links: string[] = [];
  const marked = emphasis(setLinksAside(escaped.replace(/[\uE000\uE001]/g, ''), links));
  return links.length ? marked.replace(SLOT, (_m, n: string) => links[Number(n)] ?? '') : marked;
}

type Block = { kind: 'p'; lines: string[] } | { kind: 'ul'; items: string[] } | { kind: 'ol'; start: number; items: string[] };

function blocks(text: string): Block[] {
  const out: Block[] = [];
  let current: Block | undefined;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (line.trim() === '') {
      current = undefined;
    } else if (bullet) {
      if (current?.kind !== 'ul') out.push((current = { kind: 'ul', items: [] }));
      current.items.push(bullet[1]!);
    } else if (numbered) {
      if (current?.kind !== 'ol') out.push((current = { kind: 'ol', start: Number(numbered[1]), items: [] }));
      current.items.push(numbered[2]!);
    } else if (current?.kind === 'p') {
      current.lines.push(line.trim());
    } else {
      out.push((current = { kind: 'p', lines: [line.trim()] }));
    }
  }
  return out;
}

const items = (list: string[]) => list.map((i) => `<li>${inline(escape(i))}</li>`).join('');

export function markdownToHtml(markdown: string): string {
  return blocks(markdown)
    .map((b) => {
      if (b.kind === 'p') return `<p>${b.lines.map((l) => inline(escape(l))).join('<br />')}</p>`;
      if (b.kind === 'ul') return `<ul>${items(b.items)}</ul>`;
      return `<ol${b.start === 1 ? '' : ` start="${b.start}"`}>${items(b.items)}</ol>`;
    })
    .join('');
}
