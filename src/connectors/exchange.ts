// One request of a call, end to end: sent by the kind's transport, read by the outcome rules
// (the call's, the set's, the kind's), an expired credential renewed and the request sent once
// more, the exchange traced redacted, every failure a ConnectorError with a stable code.

import type { CallContext, ConnectorExchange, ConnectorLogger } from './contract.js';
import { ConnectorError } from '../errors.js';
import type { Transport, WireAnswer, WireRequest } from './kinds.js';
import type { LoadedCall, MappingSet } from './mapping-set.js';
import { errorOf, firstRule, plainSuccess, unclassified, type ErpError, type Observed, type Rule } from './outcomes.js';
import type { Redact } from './redact.js';
import { payloadOf } from './requests.js';

export const NOT_FOUND = Symbol('not-found');

const text = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

function erpErrors(value: unknown): ErpError[] {
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((e) => {
    if (typeof e !== 'object' || e === null) return [];
    const o = e as Record<string, unknown>;
    const found: ErpError = { code: text(o.code) ?? '' };
    for (const key of ['message', 'cause', 'field'] as const) if (text(o[key])) found[key] = text(o[key]);
    // An errors mapping over a null list yields {}: that is no error.
    return found.code || found.message ? [found] : [];
  });
}

type Verdict = { rule: Rule; observed: Observed } | { rule: undefined; observed: Observed };

export class Exchanger {
  constructor(
    private readonly set: MappingSet,
    private readonly transport: () => Transport,
    private readonly redact: Redact,
    private readonly log: ConnectorLogger,
    private readonly now: () => number,
  ) {}

  /**
   * The answer body of a successful request, or NOT_FOUND when a rule says the ERP has no such
   * record and the call may answer "none" (`nullable`); otherwise not-found is a permanent error.
   */
  async run(call: LoadedCall, request: WireRequest, nullable: boolean, ctx?: CallContext): Promise<unknown> {
    let { answer, verdict } = await this.attempt(call, request, ctx);
    if (verdict.rule?.outcome === 'auth-expired') {
      // The ERP may drop a credential early (restart, revocation): one retry with a renewed one.
      // A credential fixed in the settings cannot be renewed: its refusal is final until an admin changes it.
      const renewed = this.transport().renew(answer.credential);
      if (renewed) ({ answer, verdict } = await this.attempt(call, request, ctx));
      if (verdict.rule?.outcome === 'auth-expired') {
        if (renewed) throw this.failure(verdict.rule, verdict.rule.then ?? 'permanent', verdict.observed, request);
        const fixed = { ...verdict.rule, message: `${verdict.rule.message}; the credential is fixed in the settings and cannot be renewed: give a valid one` };
        throw this.failure(fixed, 'permanent', verdict.observed, request);
      }
    }
    const { rule, observed } = verdict;
    if (!rule) return answer.body;
    if (rule.outcome === 'success') return answer.body;
    if (rule.outcome === 'not-found' && nullable) return NOT_FOUND;
    throw this.failure(rule, rule.outcome === 'transient' ? 'transient' : 'permanent', observed, request);
  }

  /** For the kind's own calls (the token endpoint): the error the set's rules see in the answer, if any. */
  async classify(callName: string, answer: WireAnswer): Promise<ConnectorError | undefined> {
    const observed: Observed = { ...answer, call: callName, errors: [] };
    const rule = (await firstRule(this.set.rules, observed)) ?? (plainSuccess(observed) ? undefined : unclassified(observed));
    if (!rule || rule.outcome === 'success') return undefined;
    const kind = rule.outcome === 'transient' ? 'transient' : rule.outcome === 'auth-expired' ? (rule.then ?? 'permanent') : 'permanent';
    return this.scrub(errorOf(rule, kind, observed, { now: this.now }));
  }

  /** Traces an exchange redacted, into the call's context and the debug log. */
  record(ctx: CallContext | undefined, exchange: ConnectorExchange): void {
    const clean: ConnectorExchange = { ...exchange, request: this.redact(exchange.request), response: this.redact(exchange.response), durationMs: Math.round(exchange.durationMs) };
    (ctx?.log ?? this.log).debug({ operation: clean.operation, status: clean.status, durationMs: clean.durationMs }, `${this.set.name} exchange`);
    if (!ctx?.trace) return;
    try {
      ctx.trace(clean);
    } catch (err) {
      // A failing recorder must not turn a successful ERP write into a retried (duplicated) one.
      (ctx.log ?? this.log).warn({ err, operation: exchange.operation }, 'recording the ERP exchange failed');
    }
  }

  private async attempt(call: LoadedCall, request: WireRequest, ctx?: CallContext): Promise<{ answer: WireAnswer; verdict: Verdict }> {
    const started = this.now();
    const answer = await this.transport().send(request, ctx);
    const verdict = await this.verdict(call, answer);
    const { rule, observed } = verdict;
    const failed = rule ? rule.outcome !== 'success' : false;
    const response = answer.network ? { code: rule?.code, error: answer.network } : failed ? { code: rule!.code, message: rule!.message, body: answer.exchange.response } : answer.exchange.response;
    this.record(ctx, { operation: answer.exchange.operation || call.name, request: answer.exchange.request, response, status: observed.status, durationMs: this.now() - started });
    return { answer, verdict };
  }

  private async verdict(call: LoadedCall, answer: WireAnswer): Promise<Verdict> {
    const observed: Observed = { ...answer, call: call.name, errors: [] };
    if (answer.body !== undefined && !answer.network && !answer.answer) {
      if (call.envelope && !(await call.envelope.evaluate(answer.body, {}, call.name).catch(() => false))) observed.answer = 'not-envelope';
      else if (call.errors) observed.errors = erpErrors(await call.errors.evaluate(answer.body, {}, call.name).catch(() => undefined));
    }
    const rule = (await firstRule([...call.outcomes, ...this.set.rules], observed)) ?? (plainSuccess(observed) ? undefined : unclassified(observed));
    return { rule, observed } as Verdict;
  }

  private failure(rule: Rule, kind: 'permanent' | 'transient', observed: Observed, request: WireRequest): ConnectorError {
    const payload = payloadOf(request);
    const payloadFields = typeof payload === 'object' && payload !== null ? Object.keys(payload) : [];
    return this.scrub(errorOf(rule, kind, observed, { payloadFields, now: this.now }));
  }

  /** An ERP may echo the request, credentials included: messages reach admins, so they are redacted too. */
  private scrub(error: ConnectorError): ConnectorError {
    const message = this.redact(error.message) as string;
    if (message === error.message) return error;
    return new ConnectorError(error.kind, error.code, message, { details: error.details, retryAfterMs: error.retryAfterMs });
  }
}
