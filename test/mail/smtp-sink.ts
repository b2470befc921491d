// A real SMTP server on 127.0.0.1 for tests (smtp-server), keeping every message it accepts
// parsed (mailparser); it can answer chosen recipients with a temporary or permanent refusal.

import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface Received { to: string[]; from: string; mail: ParsedMail }

export interface SmtpSink {
  url: string;
  received: Received[];
  /** The messages for one recipient, in arrival order. */
  to(address: string): Received[];
  /** Refuse the next `times` deliveries to this address with 451 (try again later). */
  failNext(address: string, times: number): void;
  /** Refuse every delivery to this address with 550 (mailbox unknown). */
  reject(address: string): void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: Received[] = [];
  const temporary = new Map<string, number>();
  const permanent = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      if (permanent.has(to)) return callback(Object.assign(new Error('mailbox unknown'), { responseCode: 550 }));
      const left = temporary.get(to) ?? 0;
      if (left > 0) {
        temporary.set(to, left - 1);
        return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
      }
      return callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', mail });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = (server.server.address() as AddressInfo);
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to: (address) => received.filter((r) => r.to.includes(address.toLowerCase())),
    failNext: (address, times) => void temporary.set(address.toLowerCase(), times),
    reject: (address) => void permanent.add(address.toLowerCase()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
