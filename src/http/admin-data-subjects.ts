// Data-subject rights (admin): find, export (with file downloads), anonymize or erase (202,
// a job), correction, and the access log. Reads of a person's data are access-logged here;
// the chat and return reads are logged by the hook in src/data-subjects/access-log.ts.

import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { NotFoundError } from '../errors.js';
import { isUuid } from '../admin/cursor.js';
import { digestsOf, parseMatch, type MatchInput } from '../domain/data-subject.js';
import { findSubject } from '../data-subjects/find.js';
import { exportSubject } from '../data-subjects/export.js';
import { getErasure, requestErasure, type ErasureInput } from '../data-subjects/erasures.js';
import { correctSubject, type CorrectionInput } from '../data-subjects/correction.js';
import { listAccess, recordAccess, subjectOf, type AccessQuery } from '../data-subjects/access-log.js';

const answers = (name: string) => ({ $ref: `DataSubjectAnswers#/definitions/${name}` });
const error = { $ref: 'Error#' };
const errors = { 400: error, 401: error, 403: error };
/** The match in a query string (the same fields as DataSubjectMatch in bodies). */
const matchQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    email: { type: 'string', minLength: 3, maxLength: 254 },
    clientCode: { type: 'string', minLength: 1, maxLength: 20 },
    taxId: { type: 'string', minLength: 11, maxLength: 30, description: 'CPF or CNPJ, with or without punctuation' },
    phone: { type: 'string', minLength: 8, maxLength: 30, description: 'with or without +55' },
  },
} as const;

export async function adminDataSubjectRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const config = { roles: ['admin' as const] };
  const tags = ['data subjects'];
  const logRead = (request: Parameters<typeof recordAccess>[1], action: string, targetId: string, match: MatchInput) =>
    recordAccess(deps.db, request, { action, targetType: 'data_subject', targetId, digests: digestsOf(parseMatch(match)) }, deps.clock.now());

  app.get<{ Querystring: MatchInput }>('/v1/admin/data-subjects', {
    config,
    schema: {
      tags, summary: 'What ponte holds about one person, counted by kind (copies in other records included)', querystring: matchQuery,
      response: { 200: answers('found'), ...errors },
    },
  }, async (request) => {
    const found = await findSubject(deps, request.query);
    await logRead(request, 'data_subject.find', 'find', request.query);
    return found;
  });

  app.get<{ Querystring: MatchInput }>('/v1/admin/data-subjects/export', {
    config,
    schema: {
      tags, summary: "Everything about one person as one JSON document, in the API's shapes; files as links (portability)", querystring: matchQuery,
      response: { 200: answers('export'), ...errors, 422: error },
    },
  }, async (request, reply) => {
    const doc = await exportSubject(deps, request.query);
    await logRead(request, 'data_subject.export', 'export', request.query);
    return reply.header('content-disposition', `attachment; filename="ponte-dados-${doc.generatedAt.slice(0, 10)}.json"`).send(doc);
  });

  app.get<{ Params: { id: string } }>('/v1/admin/data-subjects/files/:id', {
    config,
    schema: {
      tags, summary: 'Download a file an export links to (a chat attachment or a return file)',
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } },
      response: { 200: { description: 'The file, with its content type.', type: 'string', format: 'binary' }, 401: error, 403: error, 404: error },
    },
  }, async (request, reply) => {
    const { rows } = isUuid(request.params.id)
      ? await deps.db.query<{ filename: string; content_type: string; path: string; owner: string; kind: string }>(
        `SELECT filename, content_type, path, chat_id::text AS owner, 'chat' AS kind FROM attachments WHERE id = $1
         UNION ALL SELECT filename, content_type, path, return_id::text, 'return' FROM return_attachments WHERE id = $1`, [request.params.id])
      : { rows: [] };
    const file = rows[0];
    const abs = file ? path.resolve(deps.uploadDir, file.path) : '';
    if (!file || !abs.startsWith(deps.uploadDir + path.sep) || !(await access(abs).then(() => true, () => false))) throw new NotFoundError('file', request.params.id);
    const digests = await subjectOf(deps.db, file.kind as 'chat' | 'return', file.owner);
    await recordAccess(deps.db, request, { action: `${file.kind}.attachment`, targetType: file.kind, targetId: file.owner, digests }, deps.clock.now());
    return reply
      .header('content-type', 'application/octet-stream')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="${file.filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .send(createReadStream(abs));
  });

  app.post<{ Body: ErasureInput }>('/v1/admin/data-subjects/erase', {
    config,
    schema: {
      tags, summary: 'Anonymize or erase everything about one person (irreversible): queued, answers the request to follow', body: { $ref: 'DataSubjectErase#' },
      response: { 202: answers('erasure'), ...errors },
    },
  }, async (request, reply) => reply.status(202).send(await requestErasure(deps, request.body, actorOf(request))));

  app.get<{ Params: { id: string } }>('/v1/admin/data-subjects/erasures/:id', {
    config,
    schema: {
      tags, summary: 'Progress of an erasure: step, rows touched per table, files removed, the ERP records to handle in the ERP',
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } },
      response: { 200: answers('erasure'), 401: error, 403: error, 404: error },
    },
  }, async (request) => getErasure(deps, request.params.id));

  app.patch<{ Body: CorrectionInput }>('/v1/admin/data-subjects', {
    config,
    schema: {
      tags, summary: "Correct the person's name, e-mail or phone on all their chats and returns", body: { $ref: 'DataSubjectCorrection#' },
      response: { 200: answers('correction'), ...errors },
    },
  }, async (request) => correctSubject(deps, request.body, actorOf(request)));

  app.get<{ Querystring: AccessQuery }>('/v1/admin/access-log', {
    config,
    schema: {
      tags, summary: "Reads of people's data, newest first: by person (e-mail, client code, CPF/CNPJ, phone or record id), actor (key or agent), since",
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          subject: { type: 'string', minLength: 1, maxLength: 254 },
          actor: { type: 'string', minLength: 1, maxLength: 200 },
          since: { type: 'string', maxLength: 40, description: 'ISO 8601 date-time' },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          cursor: { type: 'string', maxLength: 500 },
        },
      },
      response: { 200: answers('accessLogPage'), ...errors },
    },
  }, async (request) => listAccess(deps.db, request.query));
}
