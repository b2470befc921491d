// Spell-check for agents (pt-BR, <code> spans skipped) and the custom dictionary admins keep.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { actorOf } from './auth.js';
import { spellcheckService } from '../tools/spellcheck/service.js';
import { addDictionaryWord, dictionaryWords, removeDictionaryWord } from '../tools/spellcheck/dictionary.js';

const wordParam = { type: 'object', required: ['word'], properties: { word: { type: 'string', minLength: 1, maxLength: 60 } } } as const;

export async function spellcheckRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  const admin = { roles: ['admin' as const] };
  const tags = ['spellcheck'];

  app.post<{ Body: { text: string; agentId: string } }>('/v1/spellcheck', {
    config: { roles: ['helpdesk'] },
    schema: {
      tags,
      summary: 'Misspelled words with offsets and suggestions, for an agent with spell-check on (403 SPELLCHECK_DISABLED otherwise)',
      body: { $ref: 'SpellcheckRequest#' },
    },
  }, async (request) => ({ misspellings: await spellcheckService(deps).check(request.body.agentId, request.body.text) }));

  app.get('/v1/spellcheck/dictionary', {
    config: admin,
    schema: { tags, summary: 'The custom dictionary: its words and version' },
  }, async () => dictionaryWords(deps.db));

  app.post<{ Body: { word: string } }>('/v1/spellcheck/dictionary', {
    config: admin,
    schema: { tags, summary: 'Add a word, accepted at once on every process (201; 200 when already there)', body: { $ref: 'SpellcheckWord#' } },
  }, async (request, reply) => {
    const { word, created } = await addDictionaryWord(deps, request.body.word, actorOf(request));
    return reply.status(created ? 201 : 200).send(word);
  });

  app.delete<{ Params: { word: string } }>('/v1/spellcheck/dictionary/:word', {
    config: admin,
    schema: { tags, summary: 'Remove a word: flagged again at once on every process', params: wordParam },
  }, async (request, reply) => {
    await removeDictionaryWord(deps, request.params.word, actorOf(request));
    return reply.status(204).send();
  });
}
