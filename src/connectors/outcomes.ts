// Outcome rules as data (mappings/<set>/outcomes.json, a call's own `outcomes`, the kind's
// defaults): the first rule whose conditions all hold says what an answer means — success,
// not found, permanent, transient, or an expired credential to renew once — and what the admin reads.

import type { AnswerTag, Fault, WireAnswer } from './kinds.js';
import type { Expression } from './expression.js';
import { ConnectorError, type ErrorDetail } from '../errors.js';

export type Outcome = 'success' | 'not-found' | 'permanent' | 'transient' | 'auth-expired';

/** One pattern: a value, a list of values, "*" for any; statuses also "4xx"-style classes. */
type Pattern<T> = T | T[] | '*';

export interface Rule {
  when: {
    call?: Pattern<string>;
    status?: Pattern<number | string>;
    network?: Pattern<string>;
    errorCode?: Pattern<string>;
    fault?: Pattern<string>;
    answer?: Pattern<AnswerTag>;
    /** JSONata over the answer body: the rule holds when it is truthy. */
    test?: Expression;
  };
  outcome: Outcome;
  code: string;
  message: string;
  /** auth-expired: what it becomes when the renewed credential is refused too. */
  then?: 'permanent' | 'transient';
}

/** An error the ERP reported inside its answer (extracted by the set's `errors` mapping). */
export interface ErpError { code: string; message?: string; cause?: string; field?: string }

export interface Observed extends WireAnswer {
  call: string;
  errors: ErpError[];
}

function matches<T>(pattern: Pattern<T> | undefined, value: T | undefined, test: (p: T, v: T) => boolean = (p, v) => p === v): boolean {
  if (pattern === undefined) return true;
  if (value === undefined) return false;
  if (pattern === '*') return true;
  return (Array.isArray(pattern) ? pattern : [pattern]).some((p) => test(p, value));
}

const statusMatches = (p: number | string, v: number | string): boolean =>
  typeof p === 'number' ? p === v : /^[1-5]xx$/.test(p) ? Math.floor(Number(v) / 100) === Number(p[0]) : Number(p) === Number(v);

async function holds(rule: Rule, o: Observed): Promise<boolean> {
  const w = rule.when;
  // A rule about answers never matches a call that got none, and the other way round.
  if ((w.network === undefined) !== (o.network === undefined)) return false;
  if (!matches(w.call, o.call)) return false;
  if (!matches(w.status, o.status, statusMatches)) return false;
  if (!matches(w.network, o.network)) return false;
  if (!matches(w.fault, o.fault?.code)) return false;
  if (!matches(w.answer, o.answer)) return false;
  if (w.errorCode !== undefined) {
    if (o.errors.length === 0) return false;
    if (w.errorCode !== '*' && !o.errors.some((e) => matches(w.errorCode, e.code))) return false;
  }
  if (w.test) {
    if (o.body === undefined || o.answer) return false;
    // A rule whose test cannot run on this answer simply does not hold.
    const verdict = await w.test.evaluate(o.body, {}, o.call).catch(() => undefined);
    if (!verdict) return false;
  }
  return true;
}

export async function firstRule(rules: readonly Rule[], observed: Observed): Promise<Rule | undefined> {
  for (const rule of rules) if (await holds(rule, observed)) return rule;
  return undefined;
}

/** Whether an answer nobody matched is a success: it came, as expected, with a 2xx. */
export function plainSuccess(o: Observed): boolean {
  return o.network === undefined && o.answer === undefined && o.fault === undefined && (o.status === undefined || (o.status >= 200 && o.status < 300));
}

/** The rule for an answer no rule describes: a gap in the rule files, not a success. */
export function unclassified(o: Observed): Rule {
  const transient = o.network !== undefined || (o.status !== undefined && o.status >= 500);
  return { when: {}, outcome: transient ? 'transient' : 'permanent', code: 'CONNECTOR_UNCLASSIFIED', message: 'the ERP answered in a way no outcome rule describes (add a rule to outcomes.json)' };
}

export function describeError(e: ErpError): string {
  return [e.code, e.message, e.cause].filter((x) => x !== undefined && x !== '').join(' — ');
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: () => number = Date.now): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}

/** The payload field an ERP error is about: its own field, a payload field named in its text, else a "Field:" prefix. */
export function fieldOf(e: ErpError, fields: readonly string[] = []): string | undefined {
  if (e.field) return e.field;
  const text = `${e.cause ?? ''} ${e.message ?? ''}`;
  const escape = (f: string) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const known = fields.filter((f) => new RegExp(`\\b${escape(f)}\\b`).test(text)).sort((a, b) => b.length - a.length)[0];
  return known ?? /^\s*([A-Za-z][A-Za-z.]+)\s*:/.exec(e.cause ?? e.message ?? '')?.[1];
}

export function errorOf(rule: Rule, kind: 'permanent' | 'transient', o: Observed, options: { payloadFields?: readonly string[]; now?: () => number } = {}): ConnectorError {
  const why = [o.why, ...o.errors.map(describeError)].filter(Boolean).join(', ');
  const details: ErrorDetail[] = o.errors.map((e) => ({ path: fieldOf(e, options.payloadFields), message: describeError(e), erpCode: e.code }));
  const retryAfterMs = kind === 'transient' ? parseRetryAfter(o.headers?.['retry-after'], options.now) : undefined;
  return new ConnectorError(kind, rule.code, `${o.call}: ${rule.message}${why ? ` (${why})` : ''}`, { details, retryAfterMs });
}

export type { Fault };
