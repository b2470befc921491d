// The docs page at /docs (Swagger UI) and the OpenAPI document at /docs/json and /docs/yaml:
// the UI runs in a Fastify instance of its own, made at the first request (its plugin and
// static files are part of every start otherwise); it reads the document of the API itself.

import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { forwardToLazyInstance } from './lazy-instance.js';

const DOCS_PATH = '/docs';

async function buildDocs(api: FastifyInstance): Promise<FastifyInstance> {
  const { default: swaggerUi } = await import('@fastify/swagger-ui');
  const docs = Fastify();
  // Swagger UI reads the document through swagger() of the plugin named @fastify/swagger: the API's.
  await docs.register(fp(async (inner) => void inner.decorate('swagger', api.swagger.bind(api)), { name: '@fastify/swagger' }));
  await docs.register(swaggerUi, { routePrefix: DOCS_PATH });
  await docs.ready();
  return docs;
}

export function docsRoutes(api: FastifyInstance): void {
  forwardToLazyInstance(api, DOCS_PATH, () => buildDocs(api));
}
