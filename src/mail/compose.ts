// The e-mails about a return, as text and HTML twins: every value is escaped, and reply HTML
// goes through the same allow-list as the portal page, so a mail can carry no script.
// Texts are Portuguese: they reach clients and third parties.

import { escapeHtml, sanitizeReplyHtml, textToHtml } from '../domain/return-format.js';

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

const day = (d: Date) => d.toISOString().slice(0, 10);

export function noticeMail(n: NoticeFacts): ComposedMail {
  const subject = headerText(`${n.reason === 'resend' ? 'Lembrete' : 'Novo retorno'}: ${n.subject}`);
  const greeting = n.contactPerson ? `Olá ${n.contactPerson},` : 'Olá,';
  const access = n.portalUrl
    ? `Veja e responda pelo link (disponível até ${day(n.validUntil)}):`
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

export interface ReplyFacts { returnSubject: string; author: string; text: string; html: string | null }

function replyBody(r: ReplyFacts): string {
  return r.html ? sanitizeReplyHtml(r.html) : textToHtml(r.text);
}

/** A reply marked "send by e-mail", to the client. */
export function replyMail(r: ReplyFacts): ComposedMail {
  const subject = headerText(`Re: ${r.returnSubject}`);
  const text = `${r.text}\n\n— ${r.author}`;
  const html = page(subject, `${replyBody(r)}<p style="color:#666">— ${escapeHtml(r.author)}</p>`);
  return { subject, text, html };
}

/** A copy of a reply for a third party invited to the return. */
export function thirdPartyCopyMail(r: ReplyFacts & { name: string | null }): ComposedMail {
  const subject = headerText(`Cópia: Re: ${r.returnSubject}`);
  const intro = `${r.name ? `Olá ${r.name}, ` : ''}você recebe esta cópia por ter sido incluído(a) no retorno "${r.returnSubject}".`;
  const text = `${intro}\n\n${r.text}\n\n— ${r.author}`;
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
