// SMTP out through nodemailer, configured by SMTP_URL (smtp:// or smtps://, credentials and
// nodemailer options in the URL). No SMTP_URL → no transport: mails stay in the local outbox.
// nodemailer is loaded with the first transport, not with the server (a start without SMTP
// never pays for it).

import type { Config } from '../config.js';

export interface OutgoingMail {
  from: string; to: string; toName: string | null; subject: string; text: string; html: string; messageId: string;
  /** Files read from disk when sent (absolute paths). */
  attachments?: Array<{ filename: string; contentType: string; path: string }>;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export function createMailTransport(config: Pick<Config, 'smtpUrl'>): MailTransport | null {
  if (!config.smtpUrl) return null;
  const url = config.smtpUrl;
  const transporter = import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(url));
  // A transport that cannot be made fails every send (each says why); nothing is left unhandled.
  transporter.catch(() => undefined);
  return {
    async send(m) {
      const info = await (await transporter).sendMail({
        from: m.from,
        to: m.toName ? { name: m.toName, address: m.to } : m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
        attachments: m.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, path: a.path })),
      });
      return { messageId: info.messageId };
    },
    close: () => void transporter.then((t) => t.close(), () => undefined),
  };
}

/** Same Message-ID on every attempt, so a receiver can drop a copy sent twice. */
export function messageIdFor(mailId: string, mailFrom: string): string {
  const domain = /@([A-Za-z0-9.-]+)/.exec(mailFrom)?.[1] ?? 'ponte.local';
  return `<${mailId}@${domain}>`;
}

/** The receiving server refused the recipient (mailbox unknown...): the mail bounced. */
export function isBounce(err: unknown): boolean {
  // A temporary refusal (4xx) that outlived the retries is a failure, not a bounce.
  const e = err as { responseCode?: number; command?: string };
  return typeof e?.responseCode === 'number' && e.responseCode >= 550 && e.responseCode <= 553 && /RCPT/i.test(e.command ?? 'RCPT');
}

/** SMTP 5xx (mailbox unknown, message refused) will not pass on a retry; the rest may. */
export function isPermanentSmtpError(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string };
  if (typeof e?.responseCode === 'number') return e.responseCode >= 500 && e.responseCode < 600;
  return e?.code === 'EENVELOPE' || e?.code === 'EMESSAGE';
}

/** The error without the SMTP URL's credentials, for the record. */
export function smtpErrorText(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const text = `${e?.code ?? 'SMTP_ERROR'}${e?.responseCode ? ` ${e.responseCode}` : ''}: ${e?.message ?? String(err)}`;
  return text.replace(/\/\/[^@/\s]*@/g, '//[redacted]@').slice(0, 1000);
}
