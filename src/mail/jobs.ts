// The `mail` queue's worker: sends one recorded mail through SMTP (or keeps it in the local
// outbox when SMTP_URL is unset), records each attempt on the row, and lets BullMQ retry
// transient failures with backoff; an SMTP 5xx or the last attempt marks it failed.
// A send that succeeded but was not recorded (crash in between) is sent again on retry: the
// same Message-ID lets the receiver drop the copy.

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { PonteError } from '../errors.js';
import { QUEUES } from '../jobs/queues.js';
import { getMail, updateMail } from './store.js';
import { MAIL_SEND_JOB, type MailJob } from './queue.js';
import { createMailTransport, isPermanentSmtpError, messageIdFor, smtpErrorText, type MailTransport } from './transport.js';

export class MailSendError extends PonteError {
  constructor(message: string) {
    super('MAIL_SEND_FAILED', message, { status: 502, retryable: true });
  }
}

export function mailProcessor(deps: Deps, log: Logger, transport: MailTransport | null) {
  return async (job: Job<MailJob>): Promise<string> => {
    if (job.name !== MAIL_SEND_JOB) throw new UnrecoverableError(`no handler for job "${job.name}" on the ${QUEUES.mail} queue`);
    const mail = await getMail(deps.db, job.data.mailId);
    if (!mail || mail.status !== 'queued') return mail?.status ?? 'missing';
    const jobLog = log.child({ mailId: mail.id, kind: mail.kind, returnId: mail.return_id });
    if (!transport) {
      await updateMail(deps.db, mail.id, { status: 'kept' }, deps.clock.now());
      jobLog.info('no SMTP_URL: mail kept in the local outbox');
      return 'kept';
    }
    const attempts = mail.attempts + 1;
    try {
      const info = await transport.send({
        from: deps.config.mailFrom, to: mail.to_address, toName: mail.to_name, subject: mail.subject, text: mail.text, html: mail.html,
        messageId: messageIdFor(mail.id, deps.config.mailFrom),
      });
      const now = deps.clock.now();
      await updateMail(deps.db, mail.id, { status: 'sent', attempts, last_error: null, message_id: info.messageId, sent_at: now }, now);
      jobLog.info({ attempts }, 'mail sent');
      return 'sent';
    } catch (err) {
      const lastError = smtpErrorText(err);
      const final = isPermanentSmtpError(err) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await updateMail(deps.db, mail.id, { status: final ? 'failed' : 'queued', attempts, last_error: lastError }, deps.clock.now());
      jobLog.warn({ attempts, final, error: lastError }, final ? 'mail failed' : 'mail attempt failed; will retry');
      if (final) throw new UnrecoverableError(lastError);
      throw new MailSendError(lastError);
    }
  };
}

/** The worker of the mail queue; its SMTP connection closes with it. */
export function startMailWorker(deps: Deps, log: Logger) {
  const mailLog = log.child({ queue: QUEUES.mail });
  const transport = createMailTransport(deps.config);
  const worker = deps.jobs.worker(QUEUES.mail, mailProcessor(deps, mailLog, transport), { concurrency: 5 });
  worker.on('closed', () => transport?.close());
  return worker;
}
