// The HTML page the client sees (agents get it as the preview): every value escaped, except
// reply HTML that already passed the allow-list. Served with a CSP that forbids any script.

import { escapeHtml, sanitizeReplyHtml, textToHtml } from '../domain/return-format.js';
import { formatSaoPaulo } from '../domain/sao-paulo-time.js';
import type { portalEntryView } from './timeline.js';
import type { portalReturnView } from './view.js';

type PageReturn = ReturnType<typeof portalReturnView> & { timeline: Array<ReturnType<typeof portalEntryView>> };

/** No scripts, no remote anything; inline styles only for the page's own CSS. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

const FROM: Record<string, string> = { agent: 'Equipe', client: 'Você', system: 'Sistema' };

const date = (iso: string) => escapeHtml(formatSaoPaulo(new Date(iso)));

function entryHtml(e: PageReturn['timeline'][number]): string {
  // Stored HTML is sanitized on the way in; sanitizing again here keeps the page safe even
  // if a row was written by something else.
  const body = e.html ? sanitizeReplyHtml(e.html) : textToHtml(e.text);
  const files = e.attachments.length
    ? `<ul class="files">${e.attachments.map((a) => `<li>${escapeHtml(a.filename)} (${a.size} bytes)</li>`).join('')}</ul>`
    : '';
  return `<li class="entry ${escapeHtml(e.kind)} from-${escapeHtml(e.from)}"><div class="meta">${escapeHtml(FROM[e.from] ?? e.from)} · ${date(e.createdAt)}</div><div class="body">${body}</div>${files}</li>`;
}

export function renderReturnPage(r: PageReturn, options: { preview: boolean }): string {
  const banner = options.preview ? '<p class="preview">Pré-visualização: assim o cliente vê este retorno.</p>' : '';
  const contact = r.contactPerson ? `<p class="contact">Para: ${escapeHtml(r.contactPerson)}</p>` : '';
  return `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.subject)}</title>
<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}.preview{background:#fff3cd;padding:.5rem}.meta{color:#666;font-size:.85rem}.timeline{list-style:none;padding:0}.entry{border-top:1px solid #ddd;padding:.75rem 0}.from-client .body{background:#eef6ff;padding:.25rem .5rem}</style>
</head>
<body>
${banner}<h1>${escapeHtml(r.subject)}</h1>
${contact}<div class="description">${textToHtml(r.description)}</div>
<p class="validity">Disponível até ${date(r.validUntil)} (horário de Brasília)</p>
${r.canAnswer ? '' : '<p class="notice-only">Este retorno é apenas informativo: não precisa ser respondido.</p>\n'}
<ol class="timeline">${r.timeline.map(entryHtml).join('')}</ol>
</body>
</html>
`;
}
