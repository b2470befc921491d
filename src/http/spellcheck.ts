// Spell-check for agents (pt-BR, <code> spans skipped) and the custom dictionary admins keep.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { spellcheckService } from '../tools/spellcheck/service.js';
import { addDictionaryWord, dictionaryWords, removeDictionaryWord } from '../tools/spellcheck/dictionary.js';
import { answers, EMPTY, listQuery, SHORT_LIST, type ListQuery } from './answers.js';

const wordParam = { type: 'object', required: ['word'], properties: { word: { type: 'string', minLength: 1, maxLength: 60 } } } as const;

export async function spellcheckRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const admin = { roles: ['admin' as const] };
  const tags = ['spellcheck'];

  app.post<{ Body: { text: string; agentId: string } }>('/v1/spellcheck', {
    config: { roles: ['helpdesk'], readOnly: true },
    schema: {
      tags,
      operationId: 'spellcheck',
      summary: 'Misspelled words with offsets and suggestions, for an agent with spell-check on (403 SPELLCHECK_DISABLED otherwise); words past the suggestion budget come with suggestionsSkipped: true',
      body: { $ref: 'SpellcheckRequest#' },
      response: answers({ 200: { $ref: 'SpellcheckAnswer#' } }, 404, 503),
    },
  }, async (request) => ({ misspellings: await spellcheckService(deps).check(request.body.agentId, request.body.text, request.apiKey!.id) }));

  app.get<{ Querystring: ListQuery }>('/v1/spellcheck/dictionary', {
    config: admin,
    schema: { tags, operationId: 'getSpellcheckDictionary', summary: 'The custom dictionary: its words in order (paged) and version', querystring: listQuery({}, SHORT_LIST), response: answers({ 200: { $ref: 'DictionaryView#' } }) },
  }, async (request) => dictionaryWords(deps.db, request.query));

  app.post<{ Body: { word: string } }>('/v1/spellcheck/dictionary', {
    config: admin,
    schema: {
      tags, operationId: 'addSpellcheckWord', summary: 'Add a word, accepted at once on every process (201; 200 when already there)', body: { $ref: 'SpellcheckWord#' },
      response: answers({ 200: { $ref: 'DictionaryWord#' }, 201: { $ref: 'DictionaryWord#' } }),
    },
  }, async (request, reply) => {
    const { word, created } = await addDictionaryWord(deps, request.body.word, actorOf(request));
    return reply.status(created ? 201 : 200).send(word);
  });

  app.delete<{ Params: { word: string } }>('/v1/spellcheck/dictionary/:word', {
    config: admin,
    schema: { tags, operationId: 'removeSpellcheckWord', summary: 'Remove a word: flagged again at once on every process', params: wordParam, response: answers({ 204: EMPTY }, 404) },
  }, async (request, reply) => {
    await removeDictionaryWord(deps, request.params.word, actorOf(request));
    return reply.status(204).send();
  });
}
