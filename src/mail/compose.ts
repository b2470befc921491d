// The e-mails about a return, as text and HTML twins: every value is escaped, and reply HTML
// goes through the same allow-list as the portal page, so a mail can carry no script.
// Texts are Portuguese: they reach clients and third parties.

import { escapeHtml, sanitizeReplyHtml, textToHtml } from '../domain/return-format.js';
import { formatSaoPaulo } from '../domain/sao-paulo-time.js';

export interface ComposedMail { subject: string; text: string; html: string }

/** One header line: no CR/LF (no header injection), bounded. */
const headerText = (s: string) => s.replace(/[\r\n]+/g, ' ').trim().slice(0, 200);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`
    + `<body style="font-family:sans-serif;max-width:40rem;margin:1rem auto;color:#222">${body}</body></html>`;
}

function link(url: string, label: string): string {
  return `<p><a href="${escapeHtml(url)}">${escapeHtml(label)}</a></p>`;
}

export interface NoticeFacts {
  subject: string;
  description: string;
  contactPerson: string | null;
  validUntil: Date;
  /** Absent when the client's portal access was revoked. */
  portalUrl: string | null;
  reason: 'created' | 'resend';
  /** A resend issues a new link: the previous one stops working. */
  linkRenewed: boolean;
}


export function noticeMail(n: NoticeFacts): ComposedMail {
  const subject = headerText(`${n.reason === 'resend' ? 'Lembrete' : 'Novo retorno'}: ${n.subject}`);
  const greeting = n.contactPerson ? `Olá ${n.contactPerson},` : 'Olá,';
  const access = n.portalUrl
    ? `Veja e responda pelo link (disponível até ${formatSaoPaulo(n.validUntil)}, horário de Brasília):`
    : 'O acesso a este retorno pelo portal foi encerrado; fale conosco para mais informações.';
  const renewed = n.linkRenewed ? 'Este é um novo link: o link enviado antes não funciona mais.' : '';
  const text = [greeting, '', n.subject, '', n.description, '', access, n.portalUrl ?? '', renewed].join('\n').replace(/\n{3,}/g, '\n\n').trim();
  const html = page(subject, [
    `<p>${escapeHtml(greeting)}</p>`,
    `<h2>${escapeHtml(n.subject)}</h2>`,
    textToHtml(n.description),
    `<p>${escapeHtml(access)}</p>`,
    n.portalUrl ? link(n.portalUrl, 'Abrir o retorno') : '',
    renewed ? `<p>${escapeHtml(renewed)}</p>` : '',
  ].join(''));
  return { subject, text, html };
}

export interface ReplyFacts {
  returnSubject: string; author: string; text: string; html: string | null;
  /** The reply's files: attached to the mail, or (too large for it) as download links. */
  files?: { attached: string[]; links: Array<{ filename: string; url: string }> };
}

function replyBody(r: ReplyFacts): string {
  const body = r.html ? sanitizeReplyHtml(r.html) : textToHtml(r.text);
  const attached = r.files?.attached.length ? `<p>Anexos: ${r.files.attached.map(escapeHtml).join(', ')}</p>` : '';
  const links = r.files?.links.length
    ? `<p>Arquivos (grandes demais para o e-mail):</p><ul>${r.files.links.map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.filename)}</a></li>`).join('')}</ul>`
    : '';
  return body + attached + links;
}

/** The reply's text with its files named (and their links when not attached). */
function replyText(r: ReplyFacts): string {
  const parts = [r.text];
  if (r.files?.attached.length) parts.push(`Anexos: ${r.files.attached.join(', ')}`);
  if (r.files?.links.length) parts.push(['Arquivos (grandes demais para o e-mail):', ...r.files.links.map((l) => `- ${l.filename}: ${l.url}`)].join('\n'));
  return parts.join('\n\n');
}

/** A reply marked "send by e-mail", to the client. */
export function replyMail(r: ReplyFacts): ComposedMail {
  const subject = headerText(`Re: ${r.returnSubject}`);
  const text = `${replyText(r)}\n\n— ${r.author}`;
  const html = page(subject, `${replyBody(r)}<p style="color:#666">— ${escapeHtml(r.author)}</p>`);
  return { subject, text, html };
}

/** A copy of a reply for a third party invited to the return. */
export function thirdPartyCopyMail(r: ReplyFacts & { name: string | null }): ComposedMail {
  const subject = headerText(`Cópia: Re: ${r.returnSubject}`);
  const intro = `${r.name ? `Olá ${r.name}, ` : ''}você recebe esta cópia por ter sido incluído(a) no retorno "${r.returnSubject}".`;
  const text = `${intro}\n\n${replyText(r)}\n\n— ${r.author}`;
  const html = page(subject, `<p style="color:#666">${escapeHtml(intro)}</p>${replyBody(r)}<p style="color:#666">— ${escapeHtml(r.author)}</p>`);
  return { subject, text, html };
}

export function thirdPartyInviteMail(i: { returnSubject: string; description: string; name: string | null; invitedBy: string }): ComposedMail {
  const subject = headerText(`Convite: ${i.returnSubject}`);
  const intro = `${i.name ? `Olá ${i.name}, ` : 'Olá, '}você foi incluído(a) no retorno "${i.returnSubject}" por ${i.invitedBy} e receberá cópias das respostas.`;
  const text = `${intro}\n\n${i.description}`;
  const html = page(subject, `<p>${escapeHtml(intro)}</p>${textToHtml(i.description)}`);
  return { subject, text, html };
}

/** The client answered by e-mail after the return's validity: the answer is kept, not taken. */
export function lateAnswerMail(l: { returnSubject: string; validUntil: Date }): ComposedMail {
  const subject = headerText(`Re: ${l.returnSubject}`);
  const text = [
    'Olá,',
    '',
    `Recebemos sua resposta ao retorno "${l.returnSubject}", mas ele esteve disponível até ${formatSaoPaulo(l.validUntil)} (horário de Brasília).`,
    'Sua mensagem ficou registrada, porém não pôde ser considerada como resposta. Se ainda precisar, fale conosco para reabrirmos o assunto.',
  ].join('\n');
  const html = page(subject, text.split('\n').filter(Boolean).map((line) => `<p>${escapeHtml(line)}</p>`).join(''));
  return { subject, text, html };
}
