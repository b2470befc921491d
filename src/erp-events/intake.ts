// POST /v1/erp/events behind the route: verify the signature over the raw body, split the body
// into events, validate each on its own, then record and apply them exactly once.

import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { canonicalEvent, countOutcomes, splitBody, type ErpEvent, type ErpEventOutcome, type ErpEventResult } from '../domain/erp-event-rules.js';
import { ErpSignatureVerifier } from './signature.js';
import { ErpEventValidator } from './validate.js';
import { knownClientCodes, recordEvents, setOutcomes } from './store.js';
import { announceChanges, applyFacts } from './apply.js';
import { inputProblem, problemError } from '../domain/request-text.js';

/** The request's logger (pino or Fastify's). */
export interface PushLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** ERP lookups for unknown client codes run at most this many at once. */
const LOOKUP_CONCURRENCY = 8;

export type PushAnswer =
  | { batch: false; result: ErpEventResult }
  | { batch: true; results: ErpEventResult[]; counts: ReturnType<typeof countOutcomes> };

export class ErpEventIntake {
  private constructor(
    private readonly deps: Deps,
    private readonly verifier: ErpSignatureVerifier,
    private readonly validator: ErpEventValidator,
  ) {}

  static async create(deps: Deps): Promise<ErpEventIntake> {
    return new ErpEventIntake(deps, new ErpSignatureVerifier(deps.config.erpSecrets), await ErpEventValidator.load());
  }

  async receive(rawBody: string, headers: Record<string, string | string[] | undefined>, log: PushLog): Promise<PushAnswer> {
    this.verifier.verify(rawBody, headers);
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new ValidationError('the body is not valid JSON', [{ path: '(body)', message: 'is not valid JSON' }], 'INVALID_JSON');
    }
    // The raw body skipped the app's input guards (the signature needs the exact bytes).
    const problem = inputProblem(body);
    if (problem) {
      const { code, message, details } = problemError(problem);
      throw new ValidationError(message, details, code);
    }
    const { batch, events } = splitBody(body);
    const now = this.deps.clock.now();
    const results: ErpEventResult[] = [];
    const valid: Array<{ index: number; event: ErpEvent }> = [];
    events.forEach((candidate, index) => {
      const checked = this.validator.check(candidate, now);
      if (checked.event) valid.push({ index, event: canonicalEvent(checked.event) });
      else results[index] = { index, id: idOf(candidate), outcome: 'invalid', details: checked.problems };
    });
    if (!batch && results[0]) throw new ValidationError(`invalid event: ${results[0].details!.map((d) => `${d.path}: ${d.message}`).join('; ')}`, results[0].details!);

    for (const r of await this.store(valid, now, log)) results[r.index] = r;
    const counts = countOutcomes(results);
    log.info({ events: events.length, ...counts }, 'ERP push received');
    return batch ? { batch, results, counts } : { batch, result: results[0]! };
  }

  private async store(valid: Array<{ index: number; event: ErpEvent }>, now: Date, log: PushLog): Promise<ErpEventResult[]> {
    if (valid.length === 0) return [];
    const known = await this.knownClients([...new Set(valid.map((v) => v.event.data.clientCode))], log);
    const outcomeOf = (e: ErpEvent): ErpEventOutcome => (known.has(e.data.clientCode) ? 'applied' : 'pending_client');
    const { results, changes } = await this.deps.db.tx(async (q) => {
      // An id repeated inside the batch counts once: its first occurrence.
      const first = new Map<string, number>();
      for (const { index, event } of valid) if (!first.has(event.id)) first.set(event.id, index);
      const firsts = valid.filter(({ index, event }) => first.get(event.id) === index);
      const fresh = await recordEvents(q, firsts.map(({ event }) => ({ event, outcome: outcomeOf(event) })), now);
      const isNew = valid.map(({ index, event }) => first.get(event.id) === index && fresh.has(event.id));
      const toApply = valid.filter(({ event }, i) => isNew[i] && known.has(event.data.clientCode));
      const applied = await applyFacts(q, toApply.map((v) => v.event));
      await setOutcomes(q, toApply.filter((_, i) => applied.outcomes[i] === 'stale').map((v) => v.event.id), 'stale', now);
      const outcomeByIndex = new Map(toApply.map((v, i) => [v.index, applied.outcomes[i]!]));
      const out = valid.map(({ index, event }, i): ErpEventResult => ({
        index,
        id: event.id,
        outcome: !isNew[i] ? 'duplicate' : outcomeByIndex.get(index) ?? 'pending_client',
      }));
      return { results: out, changes: applied.changes };
    });
    await announceChanges(this.deps, changes);
    return results;
  }

  /** Known: a chat or stored state has the code, or the ERP finds the client (cached lookup). */
  private async knownClients(codes: string[], log: PushLog): Promise<Set<string>> {
    const known = await knownClientCodes(this.deps.db, codes);
    const queue = codes.filter((c) => !known.has(c));
    const lookUp = async () => {
      for (let code = queue.shift(); code !== undefined; code = queue.shift()) {
        try {
          if (await this.deps.lookups.client(code)) known.add(code);
        } catch (err) {
          // ERP unreachable: the event is kept as pending_client and applied once the client is known.
          log.warn({ err, clientCode: code }, 'ERP client lookup failed; keeping the event for later');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, queue.length) }, lookUp));
    return known;
  }
}

function idOf(candidate: unknown): string | null {
  const id = (candidate as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
