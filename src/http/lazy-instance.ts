// A part of the API that most starts never use (the queue board, the docs page) runs in a
// Fastify instance of its own, made at its first request; ponte's routes in front of it answer
// with what it answers. Requests reach it through inject (the body as ponte parsed it), so
// ponte's hooks (keys, limits, request ids, security headers) apply to them as to any route.

import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RouteHandlerMethod } from 'fastify';

/** Headers of the inner answer that belong to its own connection, not to the one it is copied to. */
const HOP_HEADERS = new Set(['connection', 'content-length', 'keep-alive', 'transfer-encoding']);

const FORWARDED_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Routes `prefix` and everything under it of `app` to the instance `build` makes (once; again
 * after a failed build), closed with `app`.
 */
export function forwardToLazyInstance(app: FastifyInstance, prefix: string, build: () => Promise<FastifyInstance>): void {
  let inner: Promise<FastifyInstance> | undefined;
  app.addHook('onClose', async () => {
    await (await inner?.catch(() => undefined))?.close();
  });
  const forward: RouteHandlerMethod = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!inner) {
      inner = build();
      inner.catch(() => (inner = undefined));
    }
    const { 'content-length': _length, ...headers } = request.headers;
    const answer = await (await inner).inject({
      method: request.method as HTTPMethods,
      url: request.url,
      headers,
      ...(request.body === undefined ? {} : { payload: request.body as string | object }),
    });
    for (const [name, value] of Object.entries(answer.headers)) if (!HOP_HEADERS.has(name) && value !== undefined) reply.header(name, value);
    return reply.status(answer.statusCode).send(answer.rawPayload);
  };
  app.route({ method: FORWARDED_METHODS, url: prefix, schema: { hide: true }, handler: forward });
  app.route({ method: FORWARDED_METHODS, url: `${prefix}/*`, schema: { hide: true }, handler: forward });
}
