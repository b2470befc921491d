// The mail record (admin): every e-mail ponte queued, sent, failed or kept in the local
// outbox (no SMTP_URL), newest first.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { readMailbox, type MailQuery } from '../mail/outbox.js';
import { getMail, mailView, MAIL_STATUSES } from '../mail/store.js';

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: [...MAIL_STATUSES] },
    returnId: { type: 'string', format: 'uuid' },
    to: { type: 'string', maxLength: 254 },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: { type: 'string', maxLength: 200 },
  },
} as const;

export async function mailRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const tags = ['admin'];
  const config = { roles: ['admin' as const] };

  app.get<{ Querystring: MailQuery }>('/v1/admin/mail', {
    config,
    schema: { tags, summary: 'E-mails ponte queued, sent, failed or kept (status kept: the local outbox when SMTP_URL is unset)', querystring: listQuery },
  }, async (request) => readMailbox(deps, request.query));

  app.get<{ Params: { id: string } }>('/v1/admin/mail/:id', {
    config,
    schema: { tags, summary: 'One e-mail with its text, HTML and sending state', params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } },
  }, async (request) => {
    const mail = await getMail(deps.db, request.params.id);
    if (!mail) throw new NotFoundError('mail', request.params.id);
    return mailView(mail);
  });
}
