// Text with every tag removed, in one left-to-right pass: what clients and agents send as
// plain text may hold anything, and an HTML parser spends far more per tag than this (seconds
// on a few hundred KB of "<b>" or "<a "). Each search only moves forward, so the work is
// linear in the input. The rules are the browser's: `<` starts a tag only before a letter,
// "/", "!" or "?" and when a `>` closes it before the next `<`; the text of script, style and
// the like is dropped with its tags; entities are decoded. A `<` that could open a tag again
// stays `&lt;` in the result, so nothing downstream can mistake the text for markup.

import { decodeHTML } from 'entities';

/** Elements whose content is not text a reader sees. */
const NOT_TEXT = new Set(['script', 'style', 'textarea', 'option', 'noscript', 'template', 'title', 'head']);
const TAG_NAME = /^\/?([A-Za-z][A-Za-z0-9-]{0,30})/;
const OPENS_TAG = /[A-Za-z/!?]/;

/** Most text between tags has no entity: decodeHTML is only worth its cost with an "&". */
const decoded = (text: string) => (text.includes('&') ? decodeHTML(text) : text);

/** indexOf that remembers its last answer: callers only ever ask from increasing positions. */
function forwardFinder(text: string, needle: string): (from: number) => number {
  let at = -2;
  return (from) => {
    if (at === -1 || at >= from) return at;
    at = text.indexOf(needle, from);
    return at;
  };
}

export function stripTags(input: string): string {
  const lower = input.toLowerCase();
  const nextGt = forwardFinder(input, '>');
  const nextLt = forwardFinder(input, '<');
  const parts: string[] = [];
  let textStart = 0;
  let i = input.indexOf('<');
  while (i !== -1) {
    const gt = nextGt(i + 1);
    const lt = nextLt(i + 1);
    const isTag = gt !== -1 && (lt === -1 || gt < lt) && OPENS_TAG.test(input[i + 1] ?? '');
    if (!isTag) {
      i = lt;
      continue;
    }
    parts.push(decoded(input.slice(textStart, i)));
    let end = gt + 1;
    if (input.startsWith('!--', i + 1)) {
      const close = lower.indexOf('-->', i + 4);
      end = close === -1 ? input.length : close + 3;
    } else {
      const name = TAG_NAME.exec(input.slice(i + 1, Math.min(gt, i + 33)))?.[1]?.toLowerCase();
      if (name && NOT_TEXT.has(name) && input[i + 1] !== '/') {
        const close = lower.indexOf(`</${name}`, gt + 1);
        const closeEnd = close === -1 ? -1 : lower.indexOf('>', close);
        end = closeEnd === -1 ? input.length : closeEnd + 1;
      }
    }
    textStart = end;
    i = end >= input.length ? -1 : lower.indexOf('<', end);
  }
  parts.push(decoded(input.slice(textStart)));
  return parts.join('').replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}
