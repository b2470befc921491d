// Fastify compiles one validator per route and request part, and one serializer per route and
// answer status, when the server gets ready: with ~130 routes and the shared schemas that is
// most of a start (seconds, before /health can answer). Each one is compiled on its first use
// instead — the same compilers (ajv for requests, fast-json-stringify for answers), the same
// results.

import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

type Serializer = (doc: unknown) => string;
type Validate = ReturnType<ReturnType<AjvCompiler.BuildCompilerFromPool>>;

type Schemas = Record<string, unknown>;

/**
 * Fastify's `schemaController.compilersFactory.buildSerializer`, compiling each answer's
 * serializer when first needed, with only the shared schemas its answer refers to (directly or
 * through them): fast-json-stringify checks and indexes every shared schema it is given on each
 * compile, ≈100 shared schemas for an answer that names one or none. A `$ref` to an id it does
 * not hold (none today) gives it all of them, as Fastify does.
 */
export function lazySerializers(): SerializerFactory {
  const compiler = SerializerSelector();
  return (externalSchemas, options) => {
    const shared = (externalSchemas ?? {}) as Schemas;
    return (route) => {
      let serialize: Serializer | undefined;
      return (doc) => (serialize ??= compiler(referencedBy(route.schema, shared) ?? shared, options)(route))(doc);
    };
  };
}

/** The shared schemas `schema` reaches through `$ref`s ("Id#..."), or undefined when one names an id `shared` lacks. */
export function referencedBy(schema: unknown, shared: Schemas): Schemas | undefined {
  const reached: Schemas = {};
  const pending = [schema];
  while (pending.length) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key !== '$ref' || typeof value !== 'string') {
          pending.push(value);
          continue;
        }
        const id = value.slice(0, value.indexOf('#') < 0 ? value.length : value.indexOf('#'));
        if (id === '' || id in reached) continue;
        if (!(id in shared)) return undefined;
        reached[id] = shared[id];
        pending.push(shared[id]);
      }
    }
  }
  return reached;
}

/**
 * Fastify's `schemaController.compilersFactory.buildValidator`, compiling each request part's
 * validator when first needed, and the ajv instance holding every shared schema (≈50 ms) when
 * the first one is. Fastify reads `errors` off the function it was given, so the wrapper carries
 * the compiled validator's errors of its last call.
 *
 * Query strings, path parameters and headers arrive as text, so their validators coerce
 * (`?limit=3` is the integer 3); a JSON body is typed by its sender and is validated as sent:
 * `42` where the document says string, or `"true"` where it says boolean, is a 400 naming the field.
 */
export function lazyValidators(): AjvCompiler.BuildCompilerFromPool {
  const compiler = AjvCompiler();
  return (externalSchemas, options) => {
    let compileText: ReturnType<typeof compiler> | undefined;
    let compileBody: ReturnType<typeof compiler> | undefined;
    const asSent = () => compiler(externalSchemas, { ...options, customOptions: { ...(options?.customOptions as AjvCompiler.Options), coerceTypes: false } } as Parameters<typeof compiler>[1]);
    return (route) => {
      let validate: Validate | undefined;
      const lazy = ((data: unknown) => {
        validate ??= route.httpPart === 'body' ? (compileBody ??= asSent())(route) : (compileText ??= compiler(externalSchemas, options))(route);
        const valid = validate(data);
        lazy.errors = validate.errors;
        return valid;
      }) as Validate;
      return lazy;
    };
  };
}
