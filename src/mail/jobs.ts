// The `mail` queue's worker: sends one recorded mail through SMTP (or keeps it in the local
// outbox when SMTP_URL is unset), records each attempt on the row, and lets BullMQ retry
// transient failures with backoff; a refused recipient marks it bounced, another SMTP 5xx or
// the last attempt failed — either way the return's timeline says so.
// A send that succeeded but was not recorded (crash in between) is sent again on retry: the
// same Message-ID lets the receiver drop the copy. A notice's portal link is put into the
// bodies only here, from its sealed copy, which is dropped once the mail is sent, failed or kept.

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { PonteError } from '../errors.js';
import { metricsOf } from '../admin/metrics.js';
import { inSpan } from '../telemetry/tracing.js';
import { QUEUES } from '../jobs/queues.js';
import { getMail, updateMail } from './store.js';
import { bodiesWithLinks } from './secret-links.js';
import { MAIL_SEND_JOB, type MailJob } from './queue.js';
import { createMailTransport, isBounce, isPermanentSmtpError, messageIdFor, smtpErrorText, type MailTransport } from './transport.js';
import { mailAttachmentFiles, recordMailTrouble } from '../returns/mail-outcomes.js';

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
      await updateMail(deps.db, mail.id, { status: 'kept', secret_link: null }, deps.clock.now());
      metricsOf(deps).observeMail('kept');
      jobLog.info('no SMTP_URL: mail kept in the local outbox');
      return 'kept';
    }
    const attempts = mail.attempts + 1;
    try {
      const attachments = await mailAttachmentFiles(deps.db, deps.uploadDir, mail.attachment_ids);
      const info = await inSpan(deps.tracing, 'smtp send', 'client', { 'ponte.mail.kind': mail.kind, 'ponte.mail.attempt': attempts }, () => transport.send({
        from: deps.config.mailFrom, to: mail.to_address, toName: mail.to_name, subject: mail.subject, ...bodiesWithLinks(mail, deps.keyring),
        messageId: messageIdFor(mail.id, deps.config.mailFrom),
        attachments,
      }));
      const now = deps.clock.now();
      await updateMail(deps.db, mail.id, { status: 'sent', attempts, last_error: null, message_id: info.messageId, sent_at: now, secret_link: null }, now);
      metricsOf(deps).observeMail('sent');
      jobLog.info({ attempts }, 'mail sent');
      return 'sent';
    } catch (err) {
      const lastError = smtpErrorText(err);
      const final = isPermanentSmtpError(err) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const status = !final ? 'queued' : isBounce(err) ? 'bounced' : 'failed';
      await deps.db.tx(async (q) => {
        await updateMail(q, mail.id, { status, attempts, last_error: lastError, ...(final ? { secret_link: null } : {}) }, deps.clock.now());
        if (status !== 'queued') await recordMailTrouble(q, mail, status, lastError, deps.clock.now());
      });
      // The mail metrics count a bounce as failed.
      metricsOf(deps).observeMail(final ? 'failed' : 'retrying');
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
