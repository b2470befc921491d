// Validates each pushed event on its own against schemas/api/erp-event*.json (envelope, then
// `data` by type), so one bad event in a batch does not reject the others.

import type { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { ErrorDetail } from '../errors.js';
import { compiledOnFirstUse, loadSchemas, shippedAjv, type Validate } from '../schemas.js';
import { checkEvent, type ErpEvent, type ErpEventType } from '../domain/erp-event-rules.js';

const DATA_SCHEMA: Record<ErpEventType, string> = {
  'delinquency.updated': 'ErpEventDelinquency',
  'product-versions.updated': 'ErpEventProductVersions',
};

function details(errors: ErrorObject[] | null | undefined, prefix: string): ErrorDetail[] {
  return (errors ?? []).map((e) => {
    const extra = (e.params?.missingProperty ?? e.params?.additionalProperty) as string | undefined;
    const path = [prefix, ...e.instancePath.split('/').filter(Boolean), extra].filter(Boolean).join('.') || '(event)';
    return { path, message: e.keyword === 'additionalProperties' ? 'is not an allowed field' : e.message ?? 'is invalid' };
  });
}

export class ErpEventValidator {
  private constructor(
    private readonly envelope: Validate,
    private readonly data: Map<string, Validate>,
  ) {}

  static async load(): Promise<ErpEventValidator> {
    const ajv = shippedAjv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const byId = new Map((await loadSchemas('api')).map(({ schema }) => [schema.$id, schema]));
    const compile = (id: string) => {
      const schema = byId.get(id);
      if (!schema) throw new Error(`schema ${id} missing from schemas/api`);
      return compiledOnFirstUse(() => ajv.compile(schema));
    };
    const data = new Map(Object.entries(DATA_SCHEMA).map(([type, id]) => [type, compile(id)]));
    return new ErpEventValidator(compile('ErpEvent'), data);
  }

  /** The event, or the problems that make it invalid (schema and rules). */
  check(candidate: unknown, now: Date): { event: ErpEvent; problems?: undefined } | { event?: undefined; problems: ErrorDetail[] } {
    if (!this.envelope(candidate)) return { problems: details(this.envelope.errors, '') };
    const event = candidate as ErpEvent;
    const validateData = this.data.get(event.type)!;
    if (!validateData(event.data)) return { problems: details(validateData.errors, 'data') };
    const problems = checkEvent(event, now);
    return problems.length ? { problems } : { event };
  }
}
