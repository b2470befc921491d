// Answers are serialized by fast-json-stringify from each route's answer schemas. Fastify
// compiles one serializer per route and status when the server gets ready: with ~130 routes
// and the shared schemas that is most of a start (seconds, before /health can answer). Each
// serializer is compiled on its first use instead — the same compiler, the same output.

import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

type Serializer = (doc: unknown) => string;

/** Fastify's `schemaController.compilersFactory.buildSerializer`, compiling each answer's serializer when first needed. */
export function lazySerializers(): SerializerFactory {
  const compiler = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = compiler(externalSchemas, options);
    return (route) => {
      let serialize: Serializer | undefined;
      return (doc) => (serialize ??= compile(route))(doc);
    };
  };
}
