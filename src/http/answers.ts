// The answer schemas a route declares, so the OpenAPI document tells the truth: the success
// body and every error status as a $ref to the one error schema.

const ERROR = { $ref: 'Error#' } as const;

/** `{status: schema}` with each error status pointing at the error schema. */
export function answers(success: Record<number, unknown>, ...errors: number[]): Record<number, unknown> {
  return { ...success, ...Object.fromEntries(errors.map((status) => [status, ERROR])) };
}

/** A Server-Sent Events stream (the body is text/event-stream, not JSON). */
export const SSE_ANSWER = { description: 'text/event-stream: `event:` lines name the event, `data:` carries its JSON', type: 'string' } as const;

/** `{items: [...]}` of one schema. */
export const itemsOf = (ref: string) => ({ type: 'object', required: ['items'], additionalProperties: true, properties: { items: { type: 'array', items: { $ref: `${ref}#` } } } });

/** `?limit=` of every list (the convention is described once, in the document's info). */
export const LIMIT = { type: 'integer', minimum: 1, maximum: 500, default: 50, description: 'Page size (1–500).' } as const;
/** `?cursor=`: the `nextCursor` of the previous page, as it came. */
export const CURSOR = { type: 'string', maxLength: 500, description: 'The nextCursor of the previous page.' } as const;

/** The page size of the short lists (kept by admins, or the rows of one chat or return): one page today. */
export const SHORT_LIST = 100;

/** The query string of a list: its own filters plus `limit` (default `defaultLimit`) and `cursor`. */
export const listQuery = (filters: Record<string, unknown> = {}, defaultLimit: number = LIMIT.default) =>
  ({ type: 'object', additionalProperties: false, properties: { ...filters, limit: { ...LIMIT, default: defaultLimit }, cursor: CURSOR } }) as const;

/** The query type of a list's handler. */
export interface ListQuery { limit?: number; cursor?: string }

/** `{items, nextCursor}` of one schema (`nextCursor` null on the last page). */
export const pageOf = (ref: string) => ({
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: { items: { type: 'array', items: { $ref: `${ref}#` } }, nextCursor: { $ref: 'NextCursor#' } },
});

/** 204: no body. */
export const EMPTY = { type: 'null', description: 'No content.' } as const;
