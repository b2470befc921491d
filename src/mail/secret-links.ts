// Secret links in mails (the client's portal link, a file's download link): a stored mail holds
// placeholders, the links wait sealed with PONTE_SECRET_KEY beside it and are put in only when
// the mail is handed to SMTP; once it is sent, failed or kept they are dropped — a stored mail
// never opens the client's portal or a file.

import type { Keyring } from '../secrets/keyring.js';
import { escapeHtml } from '../domain/return-format.js';
import type { MailRow } from './store.js';

/** Where the i-th link of a mail goes in its stored bodies. */
export const secretLinkPlaceholder = (i: number) => `https://ponte.invalid/link-${i}-filled-at-send-time`;
const PLACEHOLDER = /https:\/\/ponte\.invalid\/link-(\d+)-filled-at-send-time/g;
const LINK_NOT_KEPT = '[link: enviado só ao destinatário, não guardado]';

/** The links sealed beside a mail, in placeholder order (null when it has none). */
export function sealLinks(keyring: Keyring, links: string[]): string | null {
  return links.length ? keyring.seal(JSON.stringify(links)) : null;
}

/** The bodies as sent: each placeholder replaced by its link (escaped for the HTML part). */
export function bodiesWithLinks(mail: MailRow, keyring: Keyring): { text: string; html: string } {
  if (!mail.secret_link) return { text: mail.text, html: mail.html };
  const links = JSON.parse(keyring.open(mail.secret_link)) as string[];
  const fill = (body: string, escape: (s: string) => string) =>
    body.replace(PLACEHOLDER, (_p, i: string) => (links[Number(i)] === undefined ? LINK_NOT_KEPT : escape(links[Number(i)]!)));
  return { text: fill(mail.text, (s) => s), html: fill(mail.html, escapeHtml) };
}

/** A stored body as admins read it: the placeholders say the link was not kept. */
export const withoutLinks = (body: string) => body.replace(PLACEHOLDER, LINK_NOT_KEPT);
