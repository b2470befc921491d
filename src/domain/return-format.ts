// Formatted replies stored safe: every input (HTML, markdown or plain text) ends as HTML that
// passed a strict allow-list, plus a plain-text twin with no markup at all. Nothing that
// could run in a browser (<script>, on* handlers, javascript: links) survives either form.

import { createRequire } from 'node:module';
import type sanitize from 'sanitize-html';
import { markdownToHtml } from './return-markdown.js';
import { stripTags } from './plain-text.js';
import { ValidationError } from '../errors.js';

/**
 * Input bounds that keep the sanitizer's work small whatever is sent (its cost per tag is
 * high and grows with nesting: tens of thousands of unclosed tags take seconds). A reply's
 * HTML, typed or made from markdown, carries at most HTML_MAX_TAGS tags, so sanitizing it
 * again later (portal page, e-mail) stays as cheap; markdown is at most MARKDOWN_MAX_CHARS.
 */
export const HTML_MAX_TAGS = 2_000;
export const MARKDOWN_MAX_CHARS = 20_000;

export const REPLY_FORMATS = ['html', 'markdown', 'text'] as const;
export type ReplyFormat = (typeof REPLY_FORMATS)[number];

/** sanitize-html is loaded with the first reply that needs it, not with the server. */
let sanitizer: { run: typeof sanitize; options: sanitize.IOptions } | undefined;
function sanitizeHtml(html: string): string {
  if (!sanitizer) {
    const run = createRequire(import.meta.url)('sanitize-html') as typeof sanitize;
    sanitizer = { run, options: { ...ALLOWED_HTML, transformTags: { a: run.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }) } } };
  }
  return sanitizer.run(html, sanitizer.options);
}

const ALLOWED_HTML: sanitize.IOptions = {
  allowedTags: ['b', 'strong', 'i', 'em', 's', 'strike', 'del', 'ul', 'ol', 'li', 'p', 'br', 'a'],
  // rel is only here so the transform below can set it; href is checked against the schemes.
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function sanitizeReplyHtml(html: string): string {
  return sanitizeHtml(html).trim();
}

/** HTML someone sent, sanitized once it is known to be within HTML_MAX_TAGS (400 on `text` otherwise). */
export function sanitizeInputHtml(html: string): string {
  let tags = 0;
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    if (/[A-Za-z/!?]/.test(html[i + 1] ?? '') && ++tags > HTML_MAX_TAGS) {
      throw ValidationError.field('text', `makes more than ${HTML_MAX_TAGS} HTML tags (paragraphs, list items, emphasis, links); send it as text or split it`, 'TOO_MUCH_MARKUP');
    }
  }
  return sanitizeReplyHtml(html);
}

/** Plain text with every tag removed (linear: src/domain/plain-text.ts), entities decoded. */
export function plainText(input: string): string {
  return stripTags(input).replace(/\r\n?/g, '\n').trim();
}

/** Plain text as HTML: blank lines separate paragraphs, single newlines are line breaks. */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br />')}</p>`)
    .join('');
}

/**
 * The readable text of sanitized HTML (for e-mail bodies, the ERP and listings): paragraphs
 * and items on their own lines, bullets as "- ", numbered items with their numbers.
 */
export function htmlToText(html: string): string {
  const counters: Array<number | null> = [];
  const withBreaks = html.replace(/<(\/?)(br|p|li|ul|ol)\b([^>]*)>/gi, (_tag, closing: string, name: string, attributes: string) => {
    const tag = name.toLowerCase();
    if (tag === 'br') return '\n';
    if (closing) {
      if (tag === 'ul' || tag === 'ol') counters.pop();
      return '\n';
    }
    const nested = counters.length > 0;
    if (tag === 'ul') counters.push(null);
    if (tag === 'ol') counters.push(Number(/\bstart="?(\d{1,9})/i.exec(attributes)?.[1] ?? 1));
    if (tag !== 'li') return nested && tag !== 'p' ? '\n' : '';
    const n = counters[counters.length - 1];
    if (n === undefined || n === null) return '- ';
    counters[counters.length - 1] = n + 1;
    return `${n}. `;
  });
  return plainText(withBreaks).replace(/\n{3,}/g, '\n\n');
}

export interface FormattedText { text: string; html: string }

/** Any accepted input → the safe HTML and its plain-text twin. */
export function formatReply(input: string, format: ReplyFormat): FormattedText {
  if (format === 'html') {
    const html = sanitizeInputHtml(input);
    return { html, text: htmlToText(html) };
  }
  if (format === 'markdown') {
    if (input.length > MARKDOWN_MAX_CHARS) throw ValidationError.field('text', `a markdown reply has at most ${MARKDOWN_MAX_CHARS} characters`, 'TEXT_TOO_LONG');
    const html = sanitizeInputHtml(markdownToHtml(plainText(input)));
    return { html, text: htmlToText(html) };
  }
  const text = plainText(input);
  return { text, html: textToHtml(text) };
}

/** Fills `{{name}}` placeholders of a reply template; values are escaped for the format. */
export function fillTemplate(template: string, format: ReplyFormat, values: Record<string, string | null | undefined>): string {
  return template.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return format === 'html' ? escapeHtml(value ?? '') : (value ?? '');
  });
}
