// Before validation: a body, query or path parameter with a NUL character, or a body nested
// deeper than any schema, is one 400 naming the field (src/domain/request-text.ts), never a
// 500 from the database further on. Raw bodies (the ERP's signed pushes) are checked by
// their own intake once parsed.

import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../errors.js';
import { inputProblem, problemError } from '../domain/request-text.js';

export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problem = inputProblem(request.params, 'params') ?? inputProblem(request.query, 'query')
      ?? (typeof request.body === 'object' || typeof request.body === 'string' ? inputProblem(request.body) : undefined);
    if (!problem) return;
    const { code, message, details } = problemError(problem);
    throw new ValidationError(message, details, code);
  });
}
