// Fastify compiles one validator per route and request part, and one serializer per route and
// answer status, when the server gets ready: with ~130 routes and the shared schemas that is
// most of a start (seconds, before /health can answer). Each one is compiled on its first use
// instead — the same compilers (ajv for requests, fast-json-stringify for answers), the same
// results.

import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

type Serializer = (doc: unknown) => string;
type Validate = ReturnType<ReturnType<AjvCompiler.BuildCompilerFromPool>>;

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

/**
 * Fastify's `schemaController.compilersFactory.buildValidator`, compiling each request part's
 * validator when first needed, and the ajv instance holding every shared schema (≈50 ms) when
 * the first one is. Fastify reads `errors` off the function it was given, so the wrapper carries
 * the compiled validator's errors of its last call.
 */
export function lazyValidators(): AjvCompiler.BuildCompilerFromPool {
  const compiler = AjvCompiler();
  return (externalSchemas, options) => {
    let compile: ReturnType<typeof compiler> | undefined;
    return (route) => {
      let validate: Validate | undefined;
      const lazy = ((data: unknown) => {
        validate ??= (compile ??= compiler(externalSchemas, options))(route);
        const valid = validate(data);
        lazy.errors = validate.errors;
        return valid;
      }) as Validate;
      return lazy;
    };
  };
}
