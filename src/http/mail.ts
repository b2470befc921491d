// The mail record (admin): every e-mail ponte queued, sent, bounced, failed or kept in the
// local outbox (no SMTP_URL), newest first; and the e-mail gateway's bounce reports.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { readMailbox, type MailQuery } from '../mail/outbox.js';
import { getMail, mailView, MAIL_STATUSES } from '../mail/store.js';
import { reportBounce } from '../mail/bounces.js';
import { answers, CURSOR, LIMIT, pageOf } from './answers.js';

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: [...MAIL_STATUSES] },
    returnId: { type: 'string', format: 'uuid' },
    to: { type: 'string', maxLength: 254 },
    limit: LIMIT,
    cursor: CURSOR,
  },
} as const;

export async function mailRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const tags = ['admin'];
  const config = { roles: ['admin' as const] };

  app.get<{ Querystring: MailQuery }>('/v1/admin/mail', {
    config,
    schema: {
      tags, operationId: 'listMail', summary: 'E-mails ponte queued, sent, failed or kept (status kept: the local outbox when SMTP_URL is unset)', querystring: listQuery,
      response: answers({
        200: { ...pageOf('Mail'), properties: { ...pageOf('Mail').properties, smtpConfigured: { type: 'boolean', description: 'false: mail stays in the local outbox (status kept).' } } },
      }),
    },
  }, async (request) => readMailbox(deps, request.query));

  app.get<{ Params: { id: string } }>('/v1/admin/mail/:id', {
    config,
    schema: {
      tags, operationId: 'getMail', summary: 'One e-mail with its text, HTML and sending state', params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } },
      response: answers({ 200: { $ref: 'Mail#' } }, 404),
    },
  }, async (request) => {
    const mail = await getMail(deps.db, request.params.id);
    if (!mail) throw new NotFoundError('mail', request.params.id);
    return mailView(mail);
  });

  app.post<{ Body: { messageId: string; reason?: string } }>('/v1/mail/bounces', {
    config: { roles: ['helpdesk', 'erp'] },
    schema: {
      tags: ['returns'], operationId: 'reportMailBounce', summary: "A bounce the e-mail gateway received: the mail becomes bounced, on the return's timeline too",
      body: { $ref: 'MailBounce#' },
      response: answers({ 200: { $ref: 'Mail#' } }, 400, 401, 403, 404),
    },
  }, async (request) => reportBounce(deps, request.body));
}
