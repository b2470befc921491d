// The small markdown subset agents write replies in: **bold**, *italic*, ~~strike~~, "- " and
// "1. " lists, paragraphs, line breaks and [links](https://...). The text is escaped first, so
// the only markup in the result is what this file writes; the caller sanitizes it again.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

/** Inline marks on already-escaped text. */
function inline(escaped: string): string {
  return escaped
    .replace(/\[([^\]]+)\]\(((?:https?:\/\/|mailto:)[^\s)]+)\)/g, '<a href="$2">$1</a>')
    .replace(/\*\*(?=\S)(.+?)\*\*|__(?=\S)(.+?)__/g, (_m, a?: string, b?: string) => `<strong>${a ?? b}</strong>`)
    .replace(/~~(?=\S)(.+?)~~/g, '<del>$1</del>')
    .replace(/(^|[^*\w])\*(?=\S)([^*]+?)\*(?!\*)|(^|[^_\w])_(?=\S)([^_]+?)_(?!\w)/g, (_m, p1?: string, a?: string, p2?: string, b?: string) =>
      a !== undefined ? `${p1}<em>${a}</em>` : `${p2}<em>${b}</em>`);
}

type Block = { kind: 'p'; lines: string[] } | { kind: 'ul' | 'ol'; items: string[] };

function blocks(text: string): Block[] {
  const out: Block[] = [];
  let current: Block | undefined;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (line.trim() === '') {
      current = undefined;
    } else if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      if (current?.kind !== kind) out.push((current = { kind, items: [] }));
      current.items.push((bullet ?? numbered)![1]!);
    } else if (current?.kind === 'p') {
      current.lines.push(line.trim());
    } else {
      out.push((current = { kind: 'p', lines: [line.trim()] }));
    }
  }
  return out;
}

export function markdownToHtml(markdown: string): string {
  return blocks(markdown)
    .map((b) => (b.kind === 'p'
      ? `<p>${b.lines.map((l) => inline(escape(l))).join('<br />')}</p>`
      : `<${b.kind}>${b.items.map((i) => `<li>${inline(escape(i))}</li>`).join('')}</${b.kind}>`))
    .join('');
}
