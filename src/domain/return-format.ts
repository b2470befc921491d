// Formatted replies stored safe: every input (HTML, markdown or plain text) ends as HTML that
// passed a strict allow-list, plus a plain-text twin with no markup at all. Nothing that
// could run in a browser (<script>, on* handlers, javascript: links) survives either form.

import sanitizeHtml from 'sanitize-html';
import { markdownToHtml } from './return-markdown.js';

export const REPLY_FORMATS = ['html', 'markdown', 'text'] as const;
export type ReplyFormat = (typeof REPLY_FORMATS)[number];

const ALLOWED_HTML: sanitizeHtml.IOptions = {
  allowedTags: ['b', 'strong', 'i', 'em', 's', 'strike', 'del', 'ul', 'ol', 'li', 'p', 'br', 'a'],
  // rel is only here so the transform below can set it; href is checked against the schemes.
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }) },
};

const NO_HTML: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: 'discard' };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function sanitizeReplyHtml(html: string): string {
  return sanitizeHtml(html, ALLOWED_HTML).trim();
}

/**
 * Plain text with every tag removed. The sanitizer answers entity-escaped text; the common
 * entities are turned back into characters, except a `<` that could open a tag again.
 */
export function plainText(input: string): string {
  // A `<` that no `>` closes is text, not a tag: the parser would swallow the rest otherwise.
  const stripped = sanitizeHtml(input.replace(/<(?![^<]*>)/g, '&lt;'), NO_HTML);
  return stripped
    .replace(/&(amp|quot|#39|gt|lt);(?=(.?))/g, (whole, name: string, next: string) => {
      if (name === 'lt') return /[A-Za-z/!?]/.test(next) ? whole : '<';
      return { amp: '&', quot: '"', '#39': "'", gt: '>' }[name] ?? whole;
    })
    .replace(/\r\n?/g, '\n')
    .trim();
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

/** The readable text of sanitized HTML (for e-mail bodies, the ERP and listings). */
export function htmlToText(html: string): string {
  const withBreaks = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|li|ul|ol)>/gi, '\n')
    .replace(/<li>/gi, '- ');
  return plainText(withBreaks).replace(/\n{3,}/g, '\n\n');
}

export interface FormattedText { text: string; html: string }

/** Any accepted input → the safe HTML and its plain-text twin. */
export function formatReply(input: string, format: ReplyFormat): FormattedText {
  if (format === 'html') {
    const html = sanitizeReplyHtml(input);
    return { html, text: htmlToText(html) };
  }
  if (format === 'markdown') {
    const html = sanitizeReplyHtml(markdownToHtml(plainText(input)));
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
