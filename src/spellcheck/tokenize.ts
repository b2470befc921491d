// Splits a support message into the words worth spell-checking, with their offsets in the original text.

/** Half-open range [start, end) of UTF-16 code units. */
export interface Span {
  start: number;
  end: number;
}

export interface WordToken {
  /** Exactly as written in the message (accents, case and apostrophe style kept). */
  word: string;
  /** UTF-16 index of the word's first character in the original text. */
  offset: number;
}

// Agents mark formulas, keys and links with <code> … <code>; HTML habit gives </code> too.
const CODE_TAG = /<(\/?)code>/giu;

/**
 * Runs of letters (with combining marks, so NFD input works), digits and underscores, joined
 * by inner hyphens or apostrophes: "guarda-chuva", "d'água", "copo-d’água" are one token each.
 * Digits and underscores are matched only so that "MP3" or "id_cliente" are skipped whole
 * instead of leaving their letters behind as words.
 */
const WORD = /[\p{L}\p{M}\p{N}_]+(?:['’‘-][\p{L}\p{M}\p{N}_]+)*/gu;

const NON_SPACE = /\S+/gu;
const HAS_DIGIT_OR_UNDERSCORE = /[\p{N}_]/u;
// "ERP", "NF", "DANFE", and their plurals "NFs", "CNPJs": names, not Portuguese words.
const ACRONYM = /^(?:\p{Lu}{1,5}|\p{Lu}{2,5}s)$/u;
// A letter or digit, a dot, then a lower-case letter or digit: host names ("ponte.com.br"),
// file names ("nota.xml"), versions ("v1.2"). "fim.Obrigado" (a missing space) is still checked.
const DOTTED_NAME = /[\p{L}\p{N}]\.[\p{Ll}\p{N}]/u;

/**
 * The spans the checker must ignore: an opening `<code>` up to and including the next
 * `<code>` or `</code>`; an unclosed `<code>` runs to the end of the text. A stray
 * `</code>` outside any span is markup, so it is returned as a span of its own.
 */
export function findCodeSpans(text: string): Span[] {
  const spans: Span[] = [];
  let openedAt: number | undefined;
  for (const tag of text.matchAll(CODE_TAG)) {
    const start = tag.index;
    const end = start + tag[0].length;
    if (openedAt !== undefined) {
      spans.push({ start: openedAt, end });
      openedAt = undefined;
    } else if (tag[1] === '/') {
      spans.push({ start, end });
    } else {
      openedAt = start;
    }
  }
  if (openedAt !== undefined) spans.push({ start: openedAt, end: text.length });
  return spans;
}

/** The words to check, in text order, outside code spans and not part of a URL, e-mail or code. */
export function tokenize(text: string): WordToken[] {
  const words: WordToken[] = [];
  let from = 0;
  for (const span of [...findCodeSpans(text), { start: text.length, end: text.length }]) {
    collectWords(text, from, span.start, words);
    from = span.end;
  }
  return words;
}

/** The parts of a hyphenated token with their own offsets; a token without hyphens is its own only part. */
export function hyphenParts(token: WordToken): WordToken[] {
  const parts: WordToken[] = [];
  let offset = token.offset;
  for (const word of token.word.split('-')) {
    parts.push({ word, offset });
    offset += word.length + 1;
  }
  return parts;
}

function collectWords(text: string, start: number, end: number, into: WordToken[]): void {
  if (end <= start) return;
  const segment = text.slice(start, end);
  // Whole whitespace-delimited chunks are judged first: a URL or an e-mail is skipped entirely,
  // not torn into "https", "www" and "br" fragments.
  for (const chunk of segment.matchAll(NON_SPACE)) {
    if (isAddressLike(chunk[0])) continue;
    for (const match of chunk[0].matchAll(WORD)) {
      if (isCheckable(match[0])) into.push({ word: match[0], offset: start + chunk.index + match.index });
    }
  }
}

function isAddressLike(chunk: string): boolean {
  return (
    chunk.includes('@') ||
    chunk.includes('://') ||
    /^[^\p{L}\p{N}]*www\./iu.test(chunk) ||
    chunk.includes('\\') ||
    /^[^\p{L}\p{N}]*\//u.test(chunk) ||
    DOTTED_NAME.test(chunk)
  );
}

function isCheckable(word: string): boolean {
  if (HAS_DIGIT_OR_UNDERSCORE.test(word)) return false;
  // "NF-e", "CT-e", "MDF-e": a hyphenated code built on an acronym is a name as a whole.
  return !word.split('-').some((part) => ACRONYM.test(part));
}
