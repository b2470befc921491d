// Queues an e-mail inside the caller's transaction: the record (status queued) and its job on
// the `mail` queue (jobId = the mail id, through the outbox), so a rolled-back change sends
// nothing and a committed one is sent even if the job backend was down at the time.
// The caller kicks the relay (deps.relay.kick()) after commit.

import type { Queryable } from '../store/db.js';
import { enqueue } from '../jobs/outbox.js';
import { QUEUES } from '../jobs/queues.js';
import { insertMail, type MailRow, type NewMail } from './store.js';

export const MAIL_SEND_JOB = 'send';

export interface MailJob { mailId: string }

export async function queueMail(q: Queryable, mail: NewMail, at: Date): Promise<MailRow> {
  const row = await insertMail(q, { ...mail, to: mail.to.trim().toLowerCase() }, at);
  const payload: MailJob = { mailId: row.id };
  await enqueue(q, { queue: QUEUES.mail, name: MAIL_SEND_JOB, jobId: row.id, payload: { ...payload } });
  return row;
}
